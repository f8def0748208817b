import { statSync } from "node:fs"
import { dirname, resolve } from "node:path"
import type { LiquidCache } from "./liquid-types.js"

type Parsed = Parameters<LiquidCache["write"]>[1]

const TYPED = /^(?:root|partials|layouts):/

interface Entry {
  value: Parsed
  path: string | undefined
  mtimeMs: number
}

function mtimeOf(path: string | undefined): number {
  if (path === undefined) return -1
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1
}

/**
 * A parse cache for development: every read checks the file's modification time, so
 * an edited template (or layout, or partial) is parsed again on the next render
 * without restarting the server. Production uses LiquidJS's plain cache instead.
 */
export class DevCache implements LiquidCache {
  readonly #dirs: readonly string[]
  readonly #entries = new Map<string, Entry>()

  constructor(dirs: readonly string[]) {
    this.#dirs = dirs
  }

  read(key: string): Parsed | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (mtimeOf(entry.path) !== entry.mtimeMs) {
      this.#entries.delete(key)
      return undefined
    }
    return entry.value
  }

  write(key: string, value: Parsed): void {
    const path = this.#pathOf(key)
    this.#entries.set(key, { value, path, mtimeMs: mtimeOf(path) })
  }

  remove(key: string): void {
    this.#entries.delete(key)
  }

  /** LiquidJS keys are `type:name` or, for `./x` references, `currentFile,name`. */
  #pathOf(key: string): string | undefined {
    const typed = TYPED.exec(key)
    if (typed === null) {
      const comma = key.lastIndexOf(",")
      return resolve(dirname(key.slice(0, comma)), key.slice(comma + 1))
    }
    const name = key.slice(typed[0].length)
    for (const dir of this.#dirs) {
      const path = resolve(dir, name)
      if (mtimeOf(path) !== -1) return path
    }
    return undefined
  }
}
