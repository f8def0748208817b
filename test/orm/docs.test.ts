import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

const ORM = resolve("src/orm/index.ts")
const FENCE = /```ts\n([\s\S]*?)```/g

// Runs every ```ts block of the ORM guide that works on an in-memory SQLite database.
describe("docs/orm.md examples run", async () => {
  const text = await readFile(resolve("docs/orm.md"), "utf8")
  const blocks = [...text.matchAll(FENCE)]
    .map((m) => m[1] as string)
    .filter((b) => b.includes('connect("sqlite::memory:")'))
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-docs-"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("has runnable examples", () => {
    expect(blocks.length).toBeGreaterThan(4)
  })

  for (const [i, block] of blocks.entries()) {
    const title =
      block.split("\n").find((l) => l.includes("db.") || l.includes("const")) ?? `block ${i}`
    it(`runs: ${title.trim()}`, async () => {
      const file = join(dir, `example-${i}.ts`)
      await writeFile(file, block.replaceAll('"truss/orm"', JSON.stringify(ORM)))
      await expect(import(file)).resolves.toBeDefined()
    })
  }
})
