// @ts-check
import { cp, readdir, readFile, rename, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"

const TEMPLATES_DIR = new URL("../templates/", import.meta.url)
/** Files npm would drop or rename when publishing, stored under another name. */
const RENAMES = {
  gitignore: ".gitignore",
  dockerignore: ".dockerignore",
  "env.example": ".env.example",
  // Not biome.json here: Biome would read it as a nested config of this repository.
  "biome-config.json": "biome.json",
}
const TEXT = /\.(ts|js|json|md|example|liquid|css)$|^(gitignore|dockerignore|Dockerfile)$/

/**
 * Whether `dir` is missing or empty (a new project may go there).
 * @param {string} dir
 */
export async function isFree(dir) {
  try {
    return (await readdir(dir)).length === 0
  } catch {
    return true
  }
}

/**
 * Every file under `dir`, relative to it.
 * @param {string} dir
 * @param {string} [base]
 * @returns {Promise<string[]>}
 */
async function files(dir, base = "") {
  const out = []
  for (const entry of await readdir(join(dir, base), { withFileTypes: true })) {
    const rel = join(base, entry.name)
    if (entry.isDirectory()) out.push(...(await files(dir, rel)))
    else out.push(rel)
  }
  return out
}

/**
 * Writes the template (shared files, then the template's own) into `dir`, putting the
 * package name and the truss version in, and returns the files written.
 * @param {{ dir: string, template: string, name: string, truss: string }} o
 * @returns {Promise<string[]>}
 */
export async function generate(o) {
  const written = []
  for (const part of ["shared", o.template]) {
    const from = new URL(`${part}/`, TEMPLATES_DIR).pathname
    await cp(from, o.dir, { recursive: true })
    written.push(...(await files(from)))
  }
  const result = []
  for (const rel of [...new Set(written)].sort()) {
    const base = rel.split("/").pop() ?? rel
    const target = base in RENAMES ? join(rel, "..", RENAMES[/** @type {keyof typeof RENAMES} */ (base)]) : rel
    if (target !== rel) await rename(join(o.dir, rel), join(o.dir, target))
    const path = join(o.dir, target)
    if (TEXT.test(base) && (await stat(path)).isFile()) {
      const text = await readFile(path, "utf8")
      await writeFile(
        path,
        text.replaceAll("__NAME__", o.name).replaceAll("__TRUSS_VERSION__", o.truss),
      )
    }
    result.push(target)
  }
  return result.sort()
}
