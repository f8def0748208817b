import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Cache, CacheEntry, cacheModels, databaseStore } from "../../src/cache/index.js"
import { connect, Migrator } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const dir = await mkdtemp(join(tmpdir(), "truss-cache-db-"))
afterAll(() => rm(dir, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`database cache store on ${target.name}`, async () => {
    if (!target.available) return
    const opened = await target.open()
    // A second connection to the same database: another process's view of the table.
    const other = target.name === "sqlite" ? undefined : await connect(opened.url)
    afterAll(async () => {
      await other?.close()
      await opened.drop()
    })
    const migrator = new Migrator(opened.db, { dir: join(dir, target.name) })
    await migrator.makeMigrations(cacheModels)
    await migrator.migrate()

    it("prunes expired rows, on demand and during writes at most once per pruneEvery", async () => {
      const store = databaseStore({ db: opened.db, pruneEvery: 0.5 })
      await store.clear()
      const cache = new Cache({ store })
      await cache.setMany({ a: 1, b: 2 }, 0.05)
      await cache.set("keep", 3, 60)
      await sleep(80)
      expect(await opened.db.query(CacheEntry).count()).toBe(3)
      expect(await store.prune()).toBe(2)
      expect(await opened.db.query(CacheEntry).count()).toBe(1)
      await cache.set("short", 4, 0.05)
      await sleep(550)
      // This write is past pruneEvery: it deletes the expired "short" row.
      await cache.set("next", 5, 60)
      const keys = await opened.db.query(CacheEntry).orderBy("key").values("key").all()
      expect(keys).toEqual([{ key: "keep" }, { key: "next" }])
    })

    it.skipIf(other === undefined)(
      "two connections (two processes) compute remember once through the row lock",
      async () => {
        const one = new Cache({ store: databaseStore({ db: opened.db }) })
        const two = new Cache({ store: databaseStore({ db: other! }) })
        await one.delete("report")
        let calls = 0
        const fn = async () => {
          calls++
          await sleep(150)
          return { rows: 3 }
        }
        const results = await Promise.all([
          ...Array.from({ length: 20 }, () => one.remember("report", 60, fn)),
          ...Array.from({ length: 20 }, () => two.remember("report", 60, fn)),
        ])
        expect(calls).toBe(1)
        expect(results).toEqual(Array.from({ length: 40 }, () => ({ rows: 3 })))
        const locks = await opened.db
          .query(CacheEntry)
          .filter({ key: { startsWith: "\u2400lock:" } })
          .count()
        expect(locks).toBe(0)
      },
    )
  })
}
