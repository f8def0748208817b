import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Database } from "../../src/orm/database.js"
import { mysqlServer } from "../../src/orm/dialects/mysql/dialect.js"
import { connect, createTables, field, model } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import { SERVICES } from "../support/services.js"

const Key = model(
  "nr_key",
  { name: field.string({ max: 30, unique: true }), n: field.integer({ default: 0 }) },
  { primaryKey: "uuid" },
)
const Item = model("nr_item", { name: field.string({ max: 30 }) })

describe("mysqlServer(): RETURNING and auto-id allocation from the server's settings", () => {
  it("uses RETURNING on MariaDB 10.5 and later only, never on MySQL", () => {
    expect(mysqlServer({ v: "10.11.19-MariaDB-0+deb12u1", m: 1, s: 1 })).toEqual({
      returning: true,
      autoIdStep: 1,
    })
    expect(mysqlServer({ v: "10.4.34-MariaDB", m: 1, s: 1 })).toEqual({
      returning: false,
      autoIdStep: 1,
    })
    expect(mysqlServer({ v: "11.4.2-MariaDB", m: "1", s: "2" })).toEqual({
      returning: true,
      autoIdStep: 2,
    })
    expect(mysqlServer({ v: "8.0.36", m: 1, s: 1 })).toEqual({ returning: false, autoIdStep: 1 })
  })

  it("trusts consecutive ids only in InnoDB lock modes 0 and 1", () => {
    expect(mysqlServer({ v: "8.4.0", m: 2, s: 1 })).toEqual({ returning: false, autoIdStep: 0 })
    expect(mysqlServer({ v: "8.0.36", m: 0, s: 3 })).toEqual({ returning: false, autoIdStep: 3 })
    expect(mysqlServer({ v: "8.0.36" })).toEqual({ returning: false, autoIdStep: 0 })
    expect(mysqlServer(undefined)).toEqual({ returning: false, autoIdStep: 0 })
  })
})

const target = (await testDatabases()).find((t) => t.name === "mysql-no-returning")
if (!target) throw new Error("test/orm/support/databases.ts lists no mysql-no-returning entry")

describe.skipIf(!target.available)("mysql-no-returning: inserts read back by primary key", () => {
  let db: Database
  let drop: () => Promise<void>
  const log: { sql: string; parameters: readonly unknown[] }[] = []
  const since = (n: number) => log.slice(n).map((e) => e.sql)

  beforeAll(async () => {
    ;({ db, drop } = await target.open({
      onQuery: (e) => log.push({ sql: e.sql, parameters: e.parameters }),
    }))
    await createTables(db, [Key, Item])
  })
  afterAll(() => drop())

  it("connects without RETURNING when asked; MariaDB uses it otherwise", async () => {
    expect([db.dialect.insertReturning, db.dialect.autoIdStep]).toEqual([false, 1])
    const plain = await connect(SERVICES.mariadb.url)
    expect(plain.dialect.insertReturning).toBe(true)
    await plain.close()
  })

  it("creates a uuid-keyed row with its client-made key and reads it back", async () => {
    const start = log.length
    const row = await db.query(Key).create({ name: "one" })
    expect(row).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: "one", n: 0 })
    expect(log.slice(start)).toEqual([
      {
        sql: "INSERT INTO `nr_key` (`id`, `name`, `n`) VALUES (?, ?, ?)",
        parameters: [row.id, "one", 0],
      },
      { sql: "SELECT `id`, `name`, `n` FROM `nr_key` WHERE `id` IN (?)", parameters: [row.id] },
    ])
  })

  it("bulk creates in input order: uuid keys, explicit ids out of order, auto ids", async () => {
    const keys = await db.query(Key).bulkCreate([{ name: "b" }, { name: "a" }, { name: "c" }])
    expect(keys.map((k) => k.name)).toEqual(["b", "a", "c"])
    const explicit = await db.query(Item).bulkCreate([
      { id: 70, name: "x" },
      { id: 50, name: "y" },
    ] as never)
    expect(explicit).toEqual([
      { id: 70, name: "x" },
      { id: 50, name: "y" },
    ])
    const start = log.length
    const auto = await db.query(Item).bulkCreate([{ name: "p" }, { name: "q" }, { name: "r" }])
    expect(auto).toEqual([
      { id: 71, name: "p" },
      { id: 72, name: "q" },
      { id: 73, name: "r" },
    ])
    expect(log.slice(start)).toEqual([
      { sql: "INSERT INTO `nr_item` (`name`) VALUES (?), (?), (?)", parameters: ["p", "q", "r"] },
      {
        sql: "SELECT `id`, `name` FROM `nr_item` WHERE `id` IN (?, ?, ?)",
        parameters: [71, 72, 73],
      },
    ])
  })

  it("inserts one row per statement in a transaction when ids are mixed", async () => {
    const start = log.length
    const rows = await db.query(Item).bulkCreate([{ name: "m1" }, { id: 90, name: "m2" }] as never)
    expect(rows).toEqual([
      { id: 74, name: "m1" },
      { id: 90, name: "m2" },
    ])
    expect(since(start)).toEqual([
      "BEGIN",
      "INSERT INTO `nr_item` (`name`) VALUES (?)",
      "INSERT INTO `nr_item` (`id`, `name`) VALUES (?, ?)",
      "SELECT `id`, `name` FROM `nr_item` WHERE `id` IN (?, ?)",
      "COMMIT",
    ])
  })

  it("inserts one row per statement when the server does not promise consecutive ids", async () => {
    const interleaved = new Database(db.kysely, { ...db.dialect, autoIdStep: 0 }, db.url)
    const start = log.length
    const rows = await interleaved.query(Item).bulkCreate([{ name: "i1" }, { name: "i2" }])
    expect(rows).toEqual([
      { id: 91, name: "i1" },
      { id: 92, name: "i2" },
    ])
    expect(since(start)).toEqual([
      "BEGIN",
      "INSERT INTO `nr_item` (`name`) VALUES (?)",
      "INSERT INTO `nr_item` (`name`) VALUES (?)",
      "SELECT `id`, `name` FROM `nr_item` WHERE `id` IN (?, ?)",
      "COMMIT",
    ])
  })

  it("steps auto ids by auto_increment_increment", async () => {
    const stepped = new Database(db.kysely, { ...db.dialect, autoIdStep: 2 }, db.url)
    const rows = await stepped.transaction(async (tx) => {
      await tx.run("SET SESSION auto_increment_increment = 2", [])
      try {
        return await tx.query(Item).bulkCreate([{ name: "s1" }, { name: "s2" }, { name: "s3" }])
      } finally {
        await tx.run("SET SESSION auto_increment_increment = 1", [])
      }
    })
    const ids = rows.map((r) => r.id)
    expect(rows.map((r) => r.name)).toEqual(["s1", "s2", "s3"])
    expect([ids[1]! - ids[0]!, ids[2]! - ids[1]!]).toEqual([2, 2])
    expect(
      await db
        .query(Item)
        .filter({ id: { in: ids } })
        .count(),
    ).toBe(3)
  })

  it("upserts a uuid-keyed row and finds it by its conflict fields", async () => {
    const first = await db.query(Key).upsert({ name: "u", n: 1 }, { conflict: ["name"] })
    const start = log.length
    const again = await db.query(Key).upsert({ name: "u", n: 2 }, { conflict: ["name"] })
    expect(again).toEqual({ ...first, n: 2 })
    expect(log.slice(start)).toEqual([
      {
        sql: "INSERT INTO `nr_key` (`id`, `name`, `n`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `n` = VALUES(`n`)",
        parameters: [expect.stringMatching(/^[0-9a-f-]{36}$/), "u", 2],
      },
      {
        sql: "SELECT `nr_key`.`id`, `nr_key`.`name`, `nr_key`.`n` FROM `nr_key` WHERE `nr_key`.`name` = ? LIMIT 21",
        parameters: ["u"],
      },
    ])
  })

  it("getOrCreate and updateOrCreate return the stored rows", async () => {
    const [made, created] = await db.query(Key).getOrCreate({ name: "g" }, { n: 5 })
    expect([made.name, made.n, created]).toEqual(["g", 5, true])
    const [found, again] = await db.query(Key).getOrCreate({ name: "g" })
    expect([found, again]).toEqual([made, false])
    const [updated, c2] = await db.query(Key).updateOrCreate({ name: "g" }, { n: 6 })
    expect([updated, c2]).toEqual([{ ...made, n: 6 }, false])
    const [item, c3] = await db.query(Item).updateOrCreate({ name: "new" }, {})
    expect([item, c3]).toEqual([{ id: item.id, name: "new" }, true])
  })
})
