import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, model } from "../../src/orm/index.js"
import { sqlKey, testDatabases } from "../support/databases.js"

/** A model with nothing but its automatic key: every column comes from the database. */
const Ticket = model("ticket", {})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: a model with only an automatic key`, () => {
    let db: Database
    let drop: () => Promise<void>
    const log: string[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({ onQuery: (e) => log.push(e.sql) }))
      await createTables(db, [Ticket])
    })
    afterAll(() => drop())

    it("creates one row and many rows with database-made keys", async () => {
      log.length = 0
      expect(await db.query(Ticket).create({})).toEqual({ id: 1 })
      expect(await db.query(Ticket).bulkCreate([{}, {}])).toEqual([{ id: 2 }, { id: 3 }])
      const one = {
        sqlite: 'INSERT INTO "ticket" ("id") VALUES (NULL) RETURNING "id"',
        postgres: 'INSERT INTO "ticket" ("id") VALUES (DEFAULT) RETURNING "id"',
        mariadb: "INSERT INTO `ticket` (`id`) VALUES (DEFAULT) RETURNING `id`",
        "mysql-no-returning": "INSERT INTO `ticket` (`id`) VALUES (DEFAULT)",
      }[sqlKey(target)]
      expect(log[0]).toBe(one)
      expect(await db.query(Ticket).orderBy("id").values("id").all()).toEqual([
        { id: 1 },
        { id: 2 },
        { id: 3 },
      ])
    })
  })
}
