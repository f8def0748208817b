import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { createTables, type Database, field, model, sql } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Owner = model(
  "owner",
  { email: field.string({ max: 100, unique: true }), age: field.integer({ default: 0 }) },
  { constraints: [{ type: "check", name: "owner_age_positive", check: "age >= 0" }] },
)
const Pet = model("pet", {
  name: field.string({ max: 50 }),
  owner: field.foreignKey(() => Owner, { onDelete: "protect" }),
})
const Shelter = model("shelter", { name: field.string({ max: 50 }) })
const Kennel = model("kennel", {
  shelter: field.foreignKey(() => Shelter, { onDelete: "restrict" }),
})

const DUPLICATE =
  "Duplicate value for owner.email: another row already has it. Use a different value, or update the existing row instead."
const PROTECTED =
  'Cannot delete owner rows: pet.owner still references them (onDelete: "protect"). Delete or reassign those rows first.'
const RESTRICTED =
  'Cannot delete shelter rows: kennel.shelter still references them (onDelete: "restrict"). Delete or reassign those rows first.'

async function counts(db: Database): Promise<number[]> {
  return Promise.all([Owner, Pet, Shelter, Kennel].map((m) => db.query(m).count()))
}

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: integrity errors`, () => {
    let db: Database
    let drop: () => Promise<void>
    let ann: { id: number }
    let home: { id: number }

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [Owner, Pet, Shelter, Kennel])
      ann = await db.query(Owner).create({ email: "ann@example.com" })
      await db.query(Pet).create({ name: "rex", ownerId: ann.id })
      home = await db.query(Shelter).create({ name: "home" })
      await db.query(Kennel).create({ shelterId: home.id })
    })
    afterAll(() => drop())

    it("answers a duplicate unique value with TRUSS_ERR_ORM_INTEGRITY kind unique", async () => {
      const err = await db
        .query(Owner)
        .create({ email: "ann@example.com" })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_INTEGRITY",
        status: 409,
        message: DUPLICATE,
        extensions: { kind: "unique", table: "owner", column: "email" },
      })
      expect((err as Error).cause).toBeInstanceOf(Error)
      expect((err as Error).cause).not.toMatchObject({ code: "TRUSS_ERR_ORM_INTEGRITY" })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("maps the same violation inside a transaction and rolls it back", async () => {
      const err = await db
        .transaction(async (tx) => {
          await tx.query(Owner).create({ email: "bob@example.com" })
          await tx.query(Owner).create({ email: "bob@example.com" })
        })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ code: "TRUSS_ERR_ORM_INTEGRITY", message: DUPLICATE })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("answers a foreign key to a missing row with kind foreignKey", async () => {
      const err = await db
        .query(Pet)
        .create({ name: "ghost", ownerId: 999 })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_INTEGRITY",
        status: 409,
        extensions: { kind: "foreignKey" },
      })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("answers NULL in a NOT NULL column (raw SQL) with kind notNull", async () => {
      const err = await db
        .execute(sql`INSERT INTO ${sql.table("pet")} (name, owner_id) VALUES (${null}, ${ann.id})`)
        .catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_INTEGRITY",
        extensions: { kind: "notNull" },
      })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("answers a failed check constraint with kind check", async () => {
      const err = await db
        .query(Owner)
        .filter({ id: ann.id })
        .update({ age: -1 })
        .catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_INTEGRITY",
        extensions: { kind: "check", constraint: "owner_age_positive" },
      })
      expect(await db.query(Owner).values("age").all()).toEqual([{ age: 0 }])
    })

    it("refuses to delete a protected parent with TRUSS_ERR_ORM_PROTECTED", async () => {
      const err = await db
        .query(Owner)
        .delete()
        .catch((e: unknown) => e)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_PROTECTED",
        status: 409,
        message: PROTECTED,
      })
      expect((err as Error).cause).toMatchObject({ code: "TRUSS_ERR_ORM_INTEGRITY" })
      const row = await db.query(Owner).get({ id: ann.id })
      const one = await db
        .query(Owner)
        .deleteRow(row)
        .catch((e: unknown) => e)
      expect(one).toMatchObject({ code: "TRUSS_ERR_ORM_PROTECTED", message: PROTECTED })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("refuses to delete a restricted parent, also in a transaction", async () => {
      const err = await db
        .transaction((tx) => tx.query(Shelter).filter({ id: home.id }).delete())
        .catch((e: unknown) => e)
      expect(err).toMatchObject({ code: "TRUSS_ERR_ORM_PROTECTED", message: RESTRICTED })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })

    it("answers 409 problem+json when a route creates a duplicate", async () => {
      const app = new App()
      app.post("/owners", async (c) =>
        c.json(await db.query(Owner).create({ email: "ann@example.com" })),
      )
      const res = await app.request("/owners", { method: "POST" })
      expect(res.status).toBe(409)
      expect(res.headers.get("content-type")).toBe("application/problem+json")
      expect(await res.json()).toMatchObject({
        status: 409,
        code: "TRUSS_ERR_ORM_INTEGRITY",
        detail: DUPLICATE,
        kind: "unique",
      })
      expect(await counts(db)).toEqual([1, 1, 1, 1])
    })
  })
}
