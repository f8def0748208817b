import { setTimeout as sleep } from "node:timers/promises"
import { databaseStore } from "truss/sessions"
import { describe, expect, it } from "vitest"
import { testDatabases } from "../support/databases.js"

const DATABASES = (await testDatabases()).filter((t) => t.available)

describe.each(DATABASES)("databaseStore() on $name", (t) => {
  it("ensureTable() can run twice, and prune() deletes exactly the expired rows", async () => {
    const { db, drop } = await t.open()
    try {
      const store = databaseStore({ db, table: "web_sessions" })
      await store.ensureTable()
      await store.ensureTable()
      const record = { data: { user: "ada" }, created: 1, touched: 1 }
      await store.write("short", record, 50)
      await store.write("long", record, 60_000)
      await sleep(100)
      expect(await store.read("short")).toBe(undefined)
      expect(await store.prune()).toBe(1)
      expect(await store.prune()).toBe(0)
      expect(await store.read("long")).toEqual(record)
    } finally {
      await drop()
    }
  })

  it("overwrites a record written twice under one id", async () => {
    const { db, drop } = await t.open()
    try {
      const store = databaseStore({ db })
      await store.ensureTable()
      await store.write("same", { data: { n: 1 }, created: 1, touched: 1 }, 60_000)
      await store.write("same", { data: { n: 2 }, created: 1, touched: 2 }, 60_000)
      expect(await store.read("same")).toEqual({ data: { n: 2 }, created: 1, touched: 2 })
    } finally {
      await drop()
    }
  })
})

describe("databaseStore() options", () => {
  it("refuses a table name that is not a plain identifier", async () => {
    const [sqlite] = DATABASES
    const { db, drop } = await sqlite!.open()
    try {
      expect(() => databaseStore({ db, table: "sessions; drop table users" })).toThrow(
        'Option databaseStore table is invalid: "sessions; drop table users" is not a plain SQL identifier (letters, digits, _).',
      )
    } finally {
      await drop()
    }
  })
})
