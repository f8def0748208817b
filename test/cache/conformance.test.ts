import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { cacheModels, databaseStore, memoryStore, redisStore } from "../../src/cache/index.js"
import { Migrator } from "../../src/orm/index.js"
import { cacheConformance } from "../support/cache-conformance.js"
import { conformanceTargets } from "../support/conformance.js"

const targets = await conformanceTargets()

// The table comes from the normal migrations: one migration file made from
// cacheModels, applied to every test database.
const dir = await mkdtemp(join(tmpdir(), "truss-cache-migrations-"))
afterAll(() => rm(dir, { recursive: true, force: true }))
const first = targets.databases[0]
const made = first ? await new Migrator(first.db, { dir }).makeMigrations(cacheModels) : undefined
const applied = new Map<string, string[]>()
for (const d of targets.databases) applied.set(d.name, await new Migrator(d.db, { dir }).migrate())

describe("the database store's table", () => {
  it("is one migration made from cacheModels, applied on every database", () => {
    expect(made?.name).toBe("0001_initial")
    const ops = made?.operations.map((o) =>
      o.op === "addIndex"
        ? [o.op, o.table, o.index.name, o.index.columns]
        : [o.op, "table" in o ? o.table : ""],
    )
    expect(ops).toEqual([
      ["createTable", "truss_cache"],
      ["addIndex", "truss_cache", "truss_cache_hash_key", ["hash"]],
      ["addIndex", "truss_cache", "truss_cache_expires_idx", ["expires"]],
    ])
    expect([...applied.values()]).toEqual(targets.databases.map(() => ["0001_initial"]))
  })
})

let run = 0
cacheConformance("memory", () => memoryStore())

const redis = targets.redis
if (redis) {
  cacheConformance("redis", () =>
    redisStore({ client: redis, prefix: targets.prefix(`cache:${++run}`) }),
  )
}

for (const d of targets.databases) {
  cacheConformance(`database (${d.name})`, async () => {
    const store = databaseStore({ db: d.db })
    // One table per database: each test starts from an empty one.
    await store.clear()
    return store
  })
}
