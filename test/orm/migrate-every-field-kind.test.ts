import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type AnyModel, type Database, field, Migrator, model } from "../../src/orm/index.js"
import { schemaDifferences } from "../../src/orm/migrations/introspect.js"
import { modelsState } from "../../src/orm/migrations/state.js"
import { sqlFor, testDatabases } from "../support/databases.js"

// Issue 4 audit: makemigrations → migrate → introspect for every field kind and
// relation kind (uuid keys, one-to-one, self reference, explicit through model), then
// rollback to an empty database.
const Device = model(
  "device",
  {
    serial: field.uuid({ unique: true }),
    counter: field.bigint({ default: 0n }),
    price: field.decimal({ precision: 10, scale: 3 }),
    ratio: field.float({ null: true }),
    on: field.boolean({ default: true }),
    opensAt: field.time(),
    day: field.date({ index: true }),
    seenAt: field.datetime({ default: "now" }),
    firmware: field.binary({ null: true }),
    settings: field.json(),
    mail: field.email({ null: true }),
    site: field.url({ null: true }),
    slug: field.slug({ max: 30 }),
    notes: field.text({ default: "" }),
    size: field.enum(["s", "m", "l"], { default: "m" }),
    legacy: field.string({ max: 10, dbColumn: "old_name", null: true }),
  },
  { primaryKey: "uuid" },
)
const Category = model("category", {
  name: field.string({ max: 20 }),
  parent: field.foreignKey("self", { null: true, onDelete: "setNull" }),
  device: field.oneToOne(() => Device, { null: true, onDelete: "restrict" }),
})
const Student = model("student", { name: field.string({ max: 20 }) })
const Enrollment = model(
  "enrollment",
  {
    student: field.foreignKey(() => Student, { onDelete: "protect" }),
    course: field.foreignKey(() => Course),
    grade: field.string({ max: 2, null: true }),
  },
  { constraints: [{ type: "unique", name: "enrollment_once", fields: ["student", "course"] }] },
)
const Course = model("course", {
  title: field.string({ max: 20 }),
  students: field.manyToMany(() => Student, { through: (): AnyModel => Enrollment }),
  tags: field.manyToMany(() => Category),
})
const MODELS = [Device, Category, Student, Enrollment, Course]
const StudentV2 = model("student", {
  name: field.text({ default: "anon" }),
  age: field.bigint({ null: true, index: true }),
  nick: field.string({ max: 5, null: true, unique: true }),
})
const StudentV3 = model("student", {
  name: field.string({ max: 40, default: "x" }),
  age: field.integer({ default: 0 }),
  nick: field.string({ max: 9, null: true }),
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: every kind through migrations`, () => {
    let db: Database
    let drop: () => Promise<void>
    let dir: string

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      dir = await mkdtemp(join(tmpdir(), "truss-audit-kinds-"))
    })
    afterAll(async () => {
      await drop()
      await rm(dir, { recursive: true, force: true })
    })

    it("creates the live schema the models describe, and removes it on rollback", async () => {
      const migrator = new Migrator(db, { dir, log: () => {} })
      const made = await migrator.makeMigrations(MODELS)
      expect(made?.name).toBe("0001_initial")
      expect(made?.operations.filter((o) => o.op === "createTable").map((o) => o.table)).toEqual([
        "device",
        "category",
        "course",
        "course_tags",
        "student",
        "enrollment",
      ])
      await migrator.migrate()
      expect(await schemaDifferences(db, modelsState(MODELS))).toEqual([])
      expect(await migrator.changes(MODELS)).toEqual([])
      await db.query(Student).create({ name: "Ann" })
      const states: AnyModel[][] = [MODELS, [...MODELS.filter((m) => m !== Student), StudentV2]]
      states.push([...MODELS.filter((m) => m !== Student), StudentV3])
      for (const [i, models] of states.entries()) {
        if (i === 0) continue
        const step = await migrator.makeMigrations(models)
        if (i === 2 && step) {
          // age becomes NOT NULL DEFAULT 0 while Ann's age is NULL: filled first.
          expect(await migrator.sql(step.name)).toContain(
            sqlFor(target.name, 'UPDATE "student" SET "age" = 0 WHERE "age" IS NULL'),
          )
        }
        await migrator.migrate()
        expect(await schemaDifferences(db, modelsState(models))).toEqual([])
      }
      expect(await db.query(StudentV3).values("name", "age", "nick").all()).toEqual([
        { name: "Ann", age: 0, nick: null },
      ])
      for (const i of [1, 0]) {
        await migrator.rollback()
        expect(await schemaDifferences(db, modelsState(states[i] ?? []))).toEqual([])
      }
      expect(await db.query(Student).values("name").all()).toEqual([{ name: "Ann" }])
      await db.query(Student).delete()
      expect(await migrator.rollback()).toEqual(["0001_initial"])
      expect(await schemaDifferences(db, {})).toEqual([])
    })
  })
}
