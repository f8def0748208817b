import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, F, field, model, sql } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Note = model("note", { body: field.text(), rank: field.integer({ default: 0 }) })

const PAYLOADS = [
  "' OR '1'='1",
  "'; DROP TABLE note; --",
  '" OR ""="',
  "\\'; DELETE FROM note; --",
  "1; SELECT pg_sleep(1)",
  "` OR 1=1 #",
  "%' OR 1=1 --",
  "_%\\",
  "'); INSERT INTO note (body) VALUES ('pwned'); --",
  "\\",
  "$1",
  "?",
]

// NUL is rejected by PostgreSQL text columns, so it is not a payload here.
const payload = fc
  .oneof(
    fc.constantFrom(...PAYLOADS),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
  )
  .filter((s) => !s.includes("\u0000"))

const SENTINEL = "☃sentinel☃"

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: SQL injection fuzz`, () => {
    let db: Database
    let drop: () => Promise<void>
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [Note])
    })
    afterAll(() => drop())

    it("binds filter values: every lookup finds exactly the stored payload", async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (s) => {
          await db.query(Note).delete()
          const row = await db.query(Note).create({ body: s })
          await db.query(Note).create({ body: SENTINEL })
          const ids = async (
            f: Parameters<ReturnType<typeof db.query<typeof Note>>["filter"]>[0],
          ) => (await db.query(Note).filter(f).values("id").all()).map((r) => r.id)
          expect((await db.query(Note).get({ id: row.id })).body).toBe(s)
          expect(await ids({ body: { in: [s] }, id: row.id })).toEqual([row.id])
          expect(await ids({ body: { contains: s }, id: row.id })).toEqual([row.id])
          expect(await ids({ body: { icontains: s }, id: row.id })).toEqual([row.id])
          expect(await ids({ body: { startsWith: s }, id: row.id })).toEqual([row.id])
          expect(await ids({ body: { endsWith: s }, id: row.id })).toEqual([row.id])
          expect(await db.query(Note).count()).toBe(2)
        }),
        { numRuns: 40 },
      )
    })

    it("refuses payloads as order keys, field references and lookups before any SQL runs", () => {
      fc.assert(
        fc.property(payload, (s) => {
          fc.pre(
            s !== "body" &&
              s !== "rank" &&
              s !== "id" &&
              s !== "-body" &&
              s !== "-rank" &&
              s !== "-id",
          )
          expect(() =>
            db
              .query(Note)
              .orderBy(s as "body")
              .toSql(),
          ).toThrow(/TRUSS_ERR|has no field|not a foreign key/)
          expect(() =>
            db
              .query(Note)
              .filter({ rank: { gt: F(s) } })
              .toSql(),
          ).toThrow(/has no field|not a foreign key/)
          expect(() =>
            db
              .query(Note)
              .filter({ [s]: 1 } as never)
              .toSql(),
          ).toThrow(/has no field|Unknown|not a foreign key/)
        }),
        { numRuns: 100 },
      )
    })

    it("binds values in raw sql`` templates", async () => {
      await fc.assert(
        fc.asyncProperty(payload, async (s) => {
          const rows = await db.execute<{ v: string }>(sql`SELECT ${s} AS ${sql.ref("v")}`)
          expect(rows).toEqual([{ v: s }])
        }),
        { numRuns: 40 },
      )
      expect(await db.query(Note).count()).toBe(2)
    })
  })
}
