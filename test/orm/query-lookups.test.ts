import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type Database, F, min } from "../../src/orm/index.js"
import { sqlFor, testDatabases } from "../support/databases.js"
import { Article, User } from "./support/models.js"
import { seed } from "./support/seed.js"

// Issue 4 audit: the lookups and aggregate that test/orm/query.test.ts does not spell
// out (explicit eq, lt, gt across a relation, min), with exact SQL and rows.
for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: audit of lookups`, () => {
    const sql = (s: string) => sqlFor(target.name, s)
    let db: Database
    let drop: () => Promise<void>
    const log: { sql: string; parameters: readonly unknown[] }[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({
        onQuery: (e) => log.push({ sql: e.sql, parameters: e.parameters }),
      }))
      await seed(db)
    })
    afterAll(() => drop())

    it("filters with eq and lt, and with gt across a relation", async () => {
      const slugs = db
        .query(Article)
        .filter({ status: { eq: "draft" }, views: { lt: 50 } })
        .values("slug")
      expect(await slugs.all()).toEqual([{ slug: "second" }])
      expect(log.at(-1)).toEqual({
        sql: sql(
          'SELECT "article"."slug" AS "slug" FROM "article" WHERE "article"."status" = ? AND "article"."views" < ? ORDER BY "article"."id" ASC',
        ),
        parameters: ["draft", 50],
      })
      const rich = await db
        .query(Article)
        .filter({ author: { karma: { gt: 5 } } })
        .orderBy("slug")
        .values("slug")
        .all()
      expect(rich).toEqual([{ slug: "hello" }, { slug: "second" }])
    })

    it("aggregates min and compares two columns with F()", async () => {
      expect(await db.query(User).aggregate({ least: min("karma") })).toEqual({ least: 0 })
      expect(log.at(-1)?.sql).toBe(sql('SELECT MIN("user"."karma") AS "least" FROM "user"'))
      const above = await db
        .query(User)
        .filter({ karma: { gt: F("id") } })
        .values("username")
        .all()
      expect(above).toEqual([{ username: "ann" }, { username: "bob" }])
    })
  })
}
