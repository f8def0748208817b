import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import { Article, User } from "./support/models.js"
import { seed } from "./support/seed.js"

// get() by primary key has its own path (a cached statement that stops at its row, run
// synchronously on SQLite when no transaction or onQuery listener is involved): these
// tests open the database without onQuery so that path runs.
for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: get() by primary key`, () => {
    let db: Database
    let drop: () => Promise<void>

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await seed(db)
    })
    afterAll(() => drop())

    it("returns the decoded row, and the same row on repeated calls", async () => {
      const expected = { id: 2, username: "bob", email: "bob@example.com", karma: 5 }
      expect(await db.query(User).get({ id: 2 })).toEqual(expected)
      expect(await db.query(User).get({ id: 2 })).toEqual(expected)
      expect(await db.query(User).get({ id: 3 })).toEqual({
        id: 3,
        username: "cy",
        email: null,
        karma: 0,
      })
    })

    it("throws TRUSS_ERR_ORM_DOES_NOT_EXIST for a missing key", async () => {
      await expect(db.query(User).get({ id: 999 })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_DOES_NOT_EXIST",
        status: 404,
      })
    })

    it("nests selectRelated rows and loads prefetchRelated lists", async () => {
      const a = await db.query(Article).selectRelated("author").get({ id: 1 })
      expect([a.slug, a.author]).toEqual([
        "hello",
        { id: 1, username: "ann", email: null, karma: 10 },
      ])
      const ann = await db.query(User).prefetchRelated("articles").get({ id: 1 })
      expect((ann.articles as { slug: string }[]).map((r) => r.slug).sort()).toEqual([
        "hello",
        "second",
      ])
    })

    it("ANDs the key with earlier filters and conditions", async () => {
      expect((await db.query(User).filter({ karma: 10 }).get({ id: 1 })).username).toBe("ann")
      await expect(db.query(User).filter({ karma: 5 }).get({ id: 1 })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_DOES_NOT_EXIST",
      })
      expect((await db.query(User).get((c) => c.and({ id: 2 }, { karma: 5 }))).username).toBe("bob")
    })

    it("sees a transaction's own uncommitted row and not a rolled-back one", async () => {
      let id = 0
      await expect(
        db.transaction(async (tx) => {
          id = (await tx.query(User).create({ username: "dee" })).id
          expect((await tx.query(User).get({ id })).username).toBe("dee")
          throw new Error("roll back")
        }),
      ).rejects.toThrow("roll back")
      await expect(db.query(User).get({ id })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_DOES_NOT_EXIST",
      })
    })
  })
}
