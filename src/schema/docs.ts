import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import type { App } from "../kit.js"
import { type OpenApiDocument, type OpenApiOptions, openapi, type RouteSource } from "./openapi.js"

/**
 * Options for {@link docs}.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { docs, type DocsOptions } from "truss/schema"
 * const options: DocsOptions = { path: "/api-docs", openapiPath: "/api-docs/openapi.json", enabled: true }
 * docs(new App(), options)
 * ```
 */
export interface DocsOptions extends OpenApiOptions {
  /** Where the Swagger UI page is served. @default "/docs" */
  path?: string
  /** Where the OpenAPI document is served. @default "/openapi.json" */
  openapiPath?: string
  /** Serve the docs. @default the app's `debug` (off in production unless `true`) */
  enabled?: boolean
}

/** The Swagger UI files served from the `swagger-ui-dist` package, never a CDN. */
const ASSETS = new Set([
  "swagger-ui.css",
  "swagger-ui-bundle.js",
  "swagger-ui-standalone-preset.js",
  "favicon-32x32.png",
  "favicon-16x16.png",
])

let assetDir: string | undefined
function swaggerDir(): string {
  assetDir ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
  return assetDir
}

/**
 * Mounts the OpenAPI document (`GET /openapi.json`) and a Swagger UI page
 * (`GET /docs`) whose scripts and styles come from the installed `swagger-ui-dist`
 * package. Off when `debug` is false unless `enabled: true`. Call it after declaring
 * the routes and before the first request; the document is built on first use.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { docs } from "truss/schema"
 * const app = new App({ debug: true })
 * app.get("/ping", () => ({ ok: true }))
 * docs(app, { info: { title: "Ping API", version: "1.0.0" } })
 * // GET /docs shows Swagger UI; GET /openapi.json is the document
 * ```
 */
export function docs<A extends RouteSource & { readonly debug: boolean }>(
  app: A,
  options: DocsOptions = {},
): A {
  const { path = "/docs", openapiPath = "/openapi.json", enabled, ...spec } = options
  if (!(enabled ?? app.debug)) return app
  let doc: OpenApiDocument | undefined
  const scope = app as unknown as App
  scope.get(openapiPath, { name: "truss.openapi" }, function openapiJson(c) {
    doc ??= openapi(scope, spec)
    return c.json(doc)
  })
  scope.get(path, { name: "truss.docs" }, function docsPage(c) {
    c.header("cache-control", "no-cache")
    return c.html(page(path, spec.info?.title ?? "API docs"))
  })
  scope.get(`${path}/assets/:file`, { name: "truss.docs.asset" }, function docsAsset(c) {
    const file = c.params.file
    if (file === "init.js") {
      const init = initializer(openapiPath)
      return c.text(init, 200, { "content-type": "text/javascript; charset=utf-8" })
    }
    if (!ASSETS.has(file)) return c.json({ error: "not found" }, 404)
    return c.file(join(swaggerDir(), file), { maxAge: 3600 })
  })
  return app
}

function page(path: string, title: string): string {
  const esc = title.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
  const a = `${path}/assets`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc}</title>
<link rel="stylesheet" href="${a}/swagger-ui.css">
<link rel="icon" type="image/png" href="${a}/favicon-32x32.png" sizes="32x32">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${a}/swagger-ui-bundle.js"></script>
<script src="${a}/swagger-ui-standalone-preset.js"></script>
<script src="${a}/init.js"></script>
</body>
</html>
`
}

function initializer(openapiPath: string): string {
  return `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(openapiPath)},
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout",
})
`
}
