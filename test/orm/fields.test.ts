import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  type AnyModel,
  createTables,
  type Database,
  field,
  model,
  type Row,
} from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Device = model(
  "device",
  {
    serial: field.uuid(),
    counter: field.bigint({ default: 0n }),
    price: field.decimal({ precision: 10, scale: 3 }),
    ratio: field.float(),
    on: field.boolean(),
    opensAt: field.time(),
    day: field.date(),
    seenAt: field.datetime({ null: true }),
    firmware: field.binary({ null: true }),
    settings: field.json<{ mode: string; levels: number[] }>(),
    note: field.json({ null: true }),
    readings: field.reverse(() => Reading, "device"),
  },
  { primaryKey: "uuid" },
)
const Reading = model("reading", {
  device: field.foreignKey(() => Device, { relatedName: "readings" }),
  value: field.integer(),
})
const Category = model("category", {
  name: field.string({ max: 20 }),
  parent: field.foreignKey("self", { null: true, relatedName: "children" }),
  children: field.reverse("self", "parent"),
  profile: field.reverse(() => Profile, "category"),
})
const Profile = model("profile", {
  category: field.oneToOne(() => Category, { relatedName: "profile" }),
  bio: field.text(),
})
const Student = model("student", {
  name: field.string({ max: 20 }),
  courses: field.reverse(() => Course, "students"),
})
const Enrollment = model("enrollment", {
  student: field.foreignKey(() => Student),
  course: field.foreignKey(() => Course),
  grade: field.string({ max: 2, null: true }),
})
const Course = model("course", {
  title: field.string({ max: 20 }),
  // The explicit return type breaks the type cycle Course → Enrollment → Course.
  students: field.manyToMany(() => Student, {
    through: (): AnyModel => Enrollment,
    relatedName: "courses",
  }),
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: field types and relation kinds`, () => {
    let db: Database
    let drop: () => Promise<void>
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [Device, Reading, Category, Profile, Student, Course, Enrollment])
    })
    afterAll(() => drop())

    it("round-trips uuid keys, bigint, exact decimals, times, binary and json", async () => {
      const d = await db.query(Device).create({
        serial: "0b5c2c3e-9a57-4d1e-8f8c-3c0f7a7b9d10",
        counter: 9007199254740993n,
        price: "12345.678",
        ratio: 0.25,
        on: true,
        opensAt: "08:30:00",
        day: "2024-02-29",
        seenAt: new Date("2024-05-06T07:08:09.010Z"),
        firmware: new Uint8Array([0, 255, 7]),
        settings: { mode: "eco", levels: [1, 2] },
        note: "just a string",
      })
      expect(d.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      const back = await db.query(Device).get({ id: d.id })
      expect(back).toEqual({
        id: d.id,
        serial: "0b5c2c3e-9a57-4d1e-8f8c-3c0f7a7b9d10",
        counter: 9007199254740993n,
        price: "12345.678",
        ratio: 0.25,
        on: true,
        opensAt: "08:30:00",
        day: "2024-02-29",
        seenAt: new Date("2024-05-06T07:08:09.010Z"),
        firmware: Buffer.from([0, 255, 7]),
        settings: { mode: "eco", levels: [1, 2] },
        note: "just a string",
      })
      await db.query(Reading).bulkCreate([
        { deviceId: d.id, value: 1 },
        { deviceId: d.id, value: 2 },
      ])
      const withReadings = await db.query(Device).prefetchRelated("readings").first()
      const readings = withReadings?.readings as Row<typeof Reading>[]
      expect(readings.map((r) => r.value)).toEqual([1, 2])
      expect(
        await db
          .query(Reading)
          .filter({ device: { on: true } })
          .count(),
      ).toBe(2)
    })

    it("follows self-references and one-to-one reverse accessors", async () => {
      const root = await db.query(Category).create({ name: "root" })
      const leaf = await db.query(Category).create({ name: "leaf", parentId: root.id })
      await db.query(Profile).create({ categoryId: root.id, bio: "top" })
      const rows = await db
        .query(Category)
        .prefetchRelated("children", "profile")
        .orderBy("id")
        .all()
      const summary = rows.map((r) => [
        r.name,
        (r.children as Row<typeof Category>[]).map((c) => c.name),
        (r.profile as Row<typeof Profile> | null)?.bio ?? null,
      ])
      expect(summary).toEqual([
        ["root", ["leaf"], "top"],
        ["leaf", [], null],
      ])
      const joined = await db
        .query(Category)
        .filter({ id: leaf.id })
        .selectRelated("parent")
        .first()
      expect((joined?.parent as { name: string } | null)?.name).toBe("root")
      await expect(
        db.query(Profile).create({ categoryId: root.id, bio: "again" }),
      ).rejects.toThrow()
    })

    it("uses an explicit through model for many-to-many", async () => {
      const ann = await db.query(Student).create({ name: "ann" })
      const math = await db.query(Course).create({ title: "math" })
      await db.query(Course).related(math.id, "students").add(ann)
      await db.query(Enrollment).filter({ studentId: ann.id }).update({ grade: "A" })
      const courses = await db.query(Course).prefetchRelated("students").all()
      expect(courses.map((c) => [c.title, c.students.map((s) => s.name)])).toEqual([
        ["math", ["ann"]],
      ])
      expect(await db.query(Student).related(ann.id, "courses").query().count()).toBe(1)
      expect(
        await db
          .query(Course)
          .filter({ students: { name: "ann" } })
          .count(),
      ).toBe(1)
    })
  })
}
