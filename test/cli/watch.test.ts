import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { type ProjectWatcher, restartsOn, watchProject } from "../../src/cli/serve/watch.js"

describe("truss dev's file watcher", () => {
  let dir: string
  let watcher: ProjectWatcher | undefined
  afterEach(() => {
    watcher?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** A project with a large node_modules, as a real one has. */
  function project(): string {
    dir = mkdtempSync(join(tmpdir(), "truss-watch-"))
    mkdirSync(join(dir, "src"))
    writeFileSync(join(dir, "src/app.ts"), "export {}\n")
    for (let i = 0; i < 3000; i++)
      mkdirSync(join(dir, "node_modules", `pkg-${i}`, "lib"), { recursive: true })
    return dir
  }

  it("sees an edit made right after it starts, however large node_modules is", async () => {
    const root = project()
    const changes: string[][] = []
    watcher = watchProject(root, 20, (files) => changes.push(files))
    writeFileSync(join(root, "src/app.ts"), "export const edited = 1\n")
    await expect.poll(() => changes, { timeout: 3000, interval: 10 }).toEqual([["src/app.ts"]])
  })

  it("restarts on root config and env files and new nested files, never on node_modules", async () => {
    const root = project()
    const changes: string[][] = []
    watcher = watchProject(root, 20, (files) => changes.push(files))
    writeFileSync(join(root, "node_modules/pkg-1/lib/index.js"), "x")
    writeFileSync(join(root, "README.md"), "docs")
    writeFileSync(join(root, "truss.config.ts"), "export default {}\n")
    writeFileSync(join(root, ".env"), "A=1\n")
    mkdirSync(join(root, "src/routes"))
    writeFileSync(join(root, "src/routes/home.ts"), "export {}\n")
    await expect
      .poll(() => changes.flat().sort(), { timeout: 3000, interval: 10 })
      .toEqual([".env", "src/routes/home.ts", "truss.config.ts"])
  })

  it("decides by path which changes restart the app", () => {
    expect(
      ["src/a.ts", "node_modules/x/a.js", "dist/a.js", ".env.local", "notes.md", "data/app.db"].map(
        restartsOn,
      ),
    ).toEqual([true, false, false, true, false, false])
  })
})
