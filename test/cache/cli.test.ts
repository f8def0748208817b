import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { Redis } from "ioredis"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Cache, databaseStore, redisStore } from "../../src/cache/index.js"
import type { CliContext } from "../../src/cli/context.js"
import { runCli } from "../../src/cli/program.js"
import { connect } from "../../src/orm/index.js"
import { conformanceTargets } from "../support/conformance.js"

const ORM = JSON.stringify(resolve("src/orm/index.ts"))
const CACHE = JSON.stringify(resolve("src/cache/index.ts"))
const targets = await conformanceTargets({ databases: false })

function config(models: string): string {
  return `import { defineConfig } from ${ORM}
${models.includes("cacheModels") ? `import { cacheModels } from ${CACHE}\n` : ""}export default defineConfig({ database: "sqlite:" + new URL("./app.db", import.meta.url).pathname, models: ${models} })
`
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips picocolors' ANSI codes
const strip = (s: string) => s.replace(/\u001b\[\d+m/g, "")

describe("truss cache clear", () => {
  let dir: string
  let out: string[]
  let err: string[]
  const ctx = (): CliContext => ({
    cwd: dir,
    out: (l) => out.push(strip(l)),
    err: (l) => err.push(strip(l)),
    importer: (url) => import(`${url}?t=${Date.now()}`),
    interactive: false,
  })
  const run = async (...argv: string[]) => {
    out = []
    err = []
    return runCli(argv, ctx())
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "truss-cache-cli-"))
    await writeFile(join(dir, "truss.config.ts"), config("[...cacheModels]"))
    await writeFile(join(dir, "bare.config.ts"), config("[]"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("empties the truss_cache table that the migrations created", async () => {
    expect(await run("makemigrations")).toBe(0)
    expect(out).toEqual([
      `Created ${join(dir, "migrations", "0001_initial.ts")}`,
      "  - createTable truss_cache",
      "  - addIndex truss_cache",
      "  - addIndex truss_cache",
    ])
    expect(await run("migrate")).toBe(0)
    const db = await connect(`sqlite:${join(dir, "app.db")}`)
    try {
      const cache = new Cache({ store: databaseStore({ db }) })
      await cache.setMany({ a: 1, b: 2, c: 3 }, 60)
      expect(await run("cache", "clear")).toBe(0)
      expect([out, err]).toEqual([["Cleared 3 cache entries from the truss_cache table."], []])
      expect(await cache.getMany(["a", "b", "c"])).toEqual([undefined, undefined, undefined])
      await cache.set("d", 4, 60)
      expect(await run("cache", "clear")).toBe(0)
      expect(out).toEqual(["Cleared 1 cache entry from the truss_cache table."])
    } finally {
      await db.close()
    }
  })

  it("refuses a project whose models leave out cacheModels, saying how to fix it", async () => {
    expect(await run("cache", "clear", "--config", "bare.config.ts")).toBe(1)
    expect(err).toEqual([
      "TRUSS_ERR_CACHE_NOT_IN_MODELS The models in truss.config.ts do not include the cache table truss_cache: add ...cacheModels (from truss/cache) to models, then run truss makemigrations and truss migrate.",
    ])
  })

  it.skipIf(targets.redis === undefined)(
    "with --redis, deletes the keys under the store's prefix only",
    async () => {
      const client = targets.redis as Redis
      const prefix = targets.prefix("cache-cli")
      const other = targets.prefix("cache-cli-other")
      await new Cache({ store: redisStore({ client, prefix }) }).setMany({ a: 1, b: 2 }, 60)
      const kept = new Cache({ store: redisStore({ client, prefix: other }) })
      await kept.set("a", "stays", 60)
      const url = "redis://127.0.0.1:6379"
      expect(await run("cache", "clear", "--redis", url, "--prefix", prefix)).toBe(0)
      expect(out).toEqual([`Cleared 2 cache entries from Redis under "${prefix}".`])
      expect(await client.keys(`${prefix}*`)).toEqual([])
      expect(await kept.get("a")).toBe("stays")
      await kept.delete("a")
    },
  )

  it("documents itself in truss cache --help", async () => {
    await run("cache", "--help")
    expect(out.join("\n").split("\n")).toEqual([
      "Usage: truss cache [options] [command]",
      "",
      "the cache",
      "",
      "Options:",
      "  -h, --help       display help for command",
      "",
      "Commands:",
      "  clear [options]  delete every cache entry: the truss_cache table, or a Redis",
      "                   prefix",
      "  help [command]   display help for command",
    ])
  })
})
