import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, F, field, model } from "../../src/orm/index.js"
import { sqlFor, testDatabases } from "../support/databases.js"

// Issue 4 audit: SQL-injection payloads through the write paths, values() keys,
// lookup names and db.run() parameters (test/orm/sqli.test.ts covers filters, order
// keys, F() and sql``).
const Memo = model("memo", {
  body: field.text(),
  code: field.string({ max: 200, unique: true }),
  rank: field.integer({ default: 0 }),
})
const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE memo; --",
  '" OR ""="',
  "\\'; DELETE FROM memo; --",
  "` OR 1=1 #",
  "'); INSERT INTO memo (body, code) VALUES ('pwned', 'x'); --",
  "\\",
  "$1",
  "?",
]
const LOOKUPS =
  "eq ne lt lte gt gte in notIn contains icontains startsWith endsWith isNull range".split(" ")
const payload = fc
  .oneof(fc.constantFrom(...PAYLOADS), fc.string({ unit: "binary-ascii", maxLength: 40 }))
  .filter((s) => !s.includes("\u0000"))

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: SQL injection through writes`, () => {
    let db: Database
    let drop: () => Promise<void>
    let n = 0

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [Memo])
    })
    afterAll(() => drop())

    it("stores payloads exactly through create, update, upsert and bulkCreate", async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (s) => {
          const code = `c${++n}`
          const made = await db.query(Memo).create({ body: s, code })
          expect(made.body).toBe(s)
          await db
            .query(Memo)
            .filter({ id: made.id })
            .update({ body: `${s}!` })
          expect((await db.query(Memo).get({ id: made.id })).body).toBe(`${s}!`)
          const up = await db.query(Memo).upsert({ body: s, code, rank: 1 }, { conflict: ["code"] })
          expect([up.id, up.body, up.rank]).toEqual([made.id, s, 1])
          const [bulk] = await db.query(Memo).bulkCreate([{ body: s, code: `b${n}` }])
          expect(bulk?.body).toBe(s)
          const ran = await db.run(
            sqlFor(target.name, 'SELECT "body" FROM "memo" WHERE "code" = ?'),
            [`b${n}`],
          )
          expect(ran.rows).toEqual([{ body: s }])
        }),
        { numRuns: 30 },
      )
      expect(await db.query(Memo).count()).toBe(2 * n)
    })

    it("refuses payloads as values() keys, lookup names and F() in updates", async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (s) => {
          fc.pre(!["body", "code", "rank", "id"].includes(s) && !LOOKUPS.includes(s))
          expect(() =>
            db
              .query(Memo)
              .values(s as "body")
              .toSql(),
          ).toThrow(/has no field|not a foreign key/)
          expect(() =>
            db
              .query(Memo)
              .filter({ rank: { [s]: 1 } } as never)
              .toSql(),
          ).toThrow(/Unknown lookup|has no field|not a foreign key/)
          await expect(db.query(Memo).update({ rank: F(s) })).rejects.toThrow(
            /has no field|not a foreign key/,
          )
        }),
        { numRuns: 60 },
      )
    })
  })
}
