import { createRequire } from "node:module"

const require = createRequire(import.meta.url)

/**
 * A CommonJS package loaded on first call, then cached: keeps what a hello request
 * does not need (serializers, mime tables, multipart parser …) out of `import "truss"`.
 * Synchronous, so callers stay synchronous; pass the type as `typeof import("pkg")`.
 * @param name - The package to `require` (resolved from Truss's own location).
 * @example `const mime = lazyRequire<typeof import("mime-types")>("mime-types")`, then `mime().contentType(".css")` loads it on the first call.
 * @internal
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined
  return () => {
    if (loaded === undefined) loaded = require(name) as T
    return loaded
  }
}

/**
 * node:http, loaded by `listen()` or the first error's status text rather than by
 * `import "truss"`: it is about half of a cold import, and a module that only builds
 * the app (a CLI command, a test of routes) may never listen.
 * @example `nodeHttp().STATUS_CODES[404]` is `"Not Found"`.
 * @internal
 */
export const nodeHttp = lazyRequire<typeof import("node:http")>("node:http")
