import { execFile, spawn } from "node:child_process"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { promisify } from "node:util"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"

/** Absolute import specifiers for fixture files written outside the repo. */
export const SRC = {
  core: JSON.stringify(resolve("src/index.ts")),
  orm: JSON.stringify(resolve("src/orm/index.ts")),
  security: JSON.stringify(resolve("src/security/index.ts")),
  ops: JSON.stringify(resolve("src/ops/index.ts")),
}

/** The repo's tsx and bin, to run the real `truss` in a child process. */
export const TSX = resolve("node_modules/.bin/tsx")
export const BIN = resolve("src/cli/bin.ts")

/** A temp folder with the given files; `remove()` deletes it. */
export async function project(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "truss-cli-"))
  for (const [name, text] of Object.entries(files)) await write(dir, name, text)
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes one file under `dir`, creating folders. */
export async function write(dir: string, name: string, text: string): Promise<void> {
  const { mkdir } = await import("node:fs/promises")
  const path = join(dir, name)
  await mkdir(join(path, ".."), { recursive: true })
  await writeFile(path, text)
}

let imports = 0

/** Runs the CLI in-process; returns exit code and the lines written. */
export async function cli(
  dir: string,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const ctx: CliContext = {
    cwd: dir,
    out: (l) => out.push(strip(l)),
    err: (l) => err.push(strip(l)),
    importer: (url) => import(/* @vite-ignore */ `${url}?t=${Date.now()}n${++imports}`),
    interactive: false,
    env,
  }
  const code = await runCli(argv, ctx)
  return { code, out, err }
}

/** Runs the real `truss` bin in a child process through tsx. */
export async function truss(dir: string, argv: string[], env: Record<string, string> = {}) {
  try {
    const r = await promisify(execFile)(TSX, [BIN, ...argv], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", ...env },
    })
    return { code: 0, stdout: r.stdout, stderr: r.stderr }
  } catch (e) {
    const f = e as { code: number; stdout: string; stderr: string }
    return { code: f.code, stdout: f.stdout, stderr: f.stderr }
  }
}

/** Spawns the real `truss` bin with piped stdio. */
export function spawnTruss(dir: string, argv: string[], env: Record<string, string> = {}) {
  return spawn(TSX, [BIN, ...argv], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  })
}

export function strip(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes
  return s.replace(/\u001b\[[0-9;]*m/g, "")
}
