import { describe, expect, it } from "vitest"
import type { Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

// db.poolStats() on every dialect: open, idle and waiting connections as they change.
for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: db.poolStats()`, () => {
    /** Holds a transaction (one connection) open until the returned release is called. */
    const hold = (db: Database) => {
      let release = () => {}
      const gate = new Promise<void>((r) => {
        release = r
      })
      let started = () => {}
      const running = new Promise<void>((r) => {
        started = r
      })
      const done = db.transaction(async (tx) => {
        await tx.run("SELECT 1", [])
        started()
        await gate
      })
      return { running, release, done }
    }

    if (target.sql === "sqlite") {
      it("counts its one connection, busy while a transaction holds it", async () => {
        const { db, drop } = await target.open()
        try {
          expect(db.poolStats()).toEqual({ totalCount: 1, idleCount: 1, waitingCount: 0 })
          const t = hold(db)
          await t.running
          expect(db.poolStats()).toEqual({ totalCount: 1, idleCount: 0, waitingCount: 0 })
          t.release()
          await t.done
          expect(db.poolStats()).toEqual({ totalCount: 1, idleCount: 1, waitingCount: 0 })
        } finally {
          await drop()
        }
      })
      return
    }

    it("counts open, idle and waiting connections of a pool of 2", async () => {
      const { db, drop } = await target.open({ poolSize: 2 })
      try {
        await db.transaction((tx) => tx.run("SELECT 1", []))
        expect(db.poolStats()).toEqual({ totalCount: 1, idleCount: 1, waitingCount: 0 })
        const a = hold(db)
        const b = hold(db)
        await Promise.all([a.running, b.running])
        expect(db.poolStats()).toEqual({ totalCount: 2, idleCount: 0, waitingCount: 0 })
        // The pool is full: this one waits (a transaction, since with `pipeline` plain
        // statements go over the pipelined connections, which are not in the pool).
        const queued = db.transaction((tx) => tx.run("SELECT 2 AS n", []))
        await expect
          .poll(() => db.poolStats(), { timeout: 2000, interval: 5 })
          .toEqual({ totalCount: 2, idleCount: 0, waitingCount: 1 })
        a.release()
        expect(Number((await queued).rows[0]?.n)).toBe(2)
        b.release()
        await Promise.all([a.done, b.done])
        expect(db.poolStats()).toEqual({ totalCount: 2, idleCount: 2, waitingCount: 0 })
      } finally {
        await drop()
      }
    })
  })
}
