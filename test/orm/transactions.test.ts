import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createTables, type Database, field, model, type Transaction } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const Account = model("account", {
  owner: field.string({ max: 40, unique: true }),
  balance: field.integer({ default: 0 }),
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: transactions`, () => {
    let db: Database
    let drop: () => Promise<void>
    const accounts = () => db.query(Account).orderBy("owner").values("owner", "balance").all()

    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [Account])
      await db.query(Account).bulkCreate([{ owner: "ann", balance: 100 }, { owner: "bob" }])
    })
    afterAll(() => drop())

    it("commits the callback's writes and returns its value", async () => {
      const result = await db.transaction(async (tx) => {
        await tx.query(Account).filter({ owner: "ann" }).update({ balance: 90 })
        await tx.query(Account).filter({ owner: "bob" }).update({ balance: 10 })
        return "done"
      })
      expect(result).toBe("done")
      expect(await accounts()).toEqual([
        { owner: "ann", balance: 90 },
        { owner: "bob", balance: 10 },
      ])
    })

    it("rolls back everything when the callback throws, and rethrows the error", async () => {
      const err = await db
        .transaction(async (tx) => {
          await tx.query(Account).filter({ owner: "ann" }).update({ balance: 0 })
          throw new Error("boom")
        })
        .catch((e: Error) => e.message)
      expect(err).toBe("boom")
      expect(await accounts()).toEqual([
        { owner: "ann", balance: 90 },
        { owner: "bob", balance: 10 },
      ])
    })

    it("rolls back a failed nested savepoint but keeps the outer transaction", async () => {
      await db.transaction(async (tx) => {
        await tx.query(Account).filter({ owner: "ann" }).update({ balance: 80 })
        await tx
          .transaction(async (inner) => {
            await inner.query(Account).filter({ owner: "bob" }).update({ balance: 999 })
            await inner.query(Account).create({ owner: "ann" }) // unique violation
          })
          .catch(() => undefined)
        await tx.transaction(async (inner) => {
          await inner.query(Account).create({ owner: "cy", balance: 1 })
        })
      })
      expect(await accounts()).toEqual([
        { owner: "ann", balance: 80 },
        { owner: "bob", balance: 10 },
        { owner: "cy", balance: 1 },
      ])
    })

    it("runs onCommit callbacks after commit, never after rollback", async () => {
      const calls: string[] = []
      await db.transaction(async (tx) => {
        tx.onCommit(() => {
          calls.push("outer")
        })
        await tx
          .transaction(async (inner) => {
            inner.onCommit(() => {
              calls.push("rolled-back savepoint")
            })
            throw new Error("undo")
          })
          .catch(() => undefined)
        await tx.transaction(async (inner) => {
          inner.onCommit(() => {
            calls.push("kept savepoint")
          })
        })
        calls.push("body end")
      })
      await db
        .transaction(async (tx) => {
          tx.onCommit(() => {
            calls.push("never")
          })
          throw new Error("rollback")
        })
        .catch(() => undefined)
      expect(calls).toEqual(["body end", "outer", "kept savepoint"])
    })

    it("accepts an isolation level and rejects an unknown one", async () => {
      const n = await db.transaction({ isolation: "serializable" }, (tx) =>
        tx.query(Account).count(),
      )
      expect(n).toBe(3)
      await expect(
        db.transaction({ isolation: "chaos" as "serializable" }, async () => undefined),
      ).rejects.toThrow('Invalid query: unknown isolation level "chaos".')
    })

    it("runs a query set built outside on the transaction with using(tx)", async () => {
      const rich = db.query(Account).filter({ balance: { gte: 50 } })
      await db
        .transaction(async (tx) => {
          await tx.query(Account).filter({ owner: "bob" }).update({ balance: 60 })
          expect(await rich.using(tx).count()).toBe(2)
          throw new Error("undo")
        })
        .catch(() => undefined)
      expect(await rich.count()).toBe(1)
    })

    it("refuses queries on a finished transaction with a coded error", async () => {
      let leaked: Transaction | undefined
      await db.transaction(async (tx) => {
        leaked = tx
      })
      await expect(leaked?.query(Account).count()).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_TRANSACTION_CLOSED",
      })
    })
  })
}
