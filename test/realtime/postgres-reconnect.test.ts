import { randomBytes } from "node:crypto"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { postgresBackplane } from "../../src/realtime/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { until } from "./helpers.js"

describe.skipIf(!(await hasService("postgres")))(
  "postgresBackplane after its LISTEN connection dies",
  () => {
    it("reconnects, LISTENs again, runs onReconnect, and delivers again", async () => {
      const channel = `truss_rt_${randomBytes(4).toString("hex")}`
      const a = postgresBackplane({ connectionString: SERVICES.postgres.url, channel })
      const b = postgresBackplane({ connectionString: SERVICES.postgres.url, channel })
      const admin = new pg.Client({ connectionString: SERVICES.postgres.url })
      await admin.connect()
      try {
        const got: string[] = []
        let reconnects = 0
        b.onReconnect(() => reconnects++)
        await b.subscribe("t", (p) => got.push(p))
        await a.publish("t", "before")
        await until(() => got.length === 1, 3000, "the first message")
        // Kill b's listening backend, as a failover or an idle-connection reaper would.
        const { rows } = await admin.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE query = $1",
          [`LISTEN ${channel}`],
        )
        expect(rows.length).toBe(1)
        await admin.query("SELECT pg_terminate_backend($1)", [rows[0]!.pid])
        await until(() => reconnects === 1, 5000, "the reconnect")
        await a.publish("t", "after")
        await until(() => got.length === 2, 3000, "a message after the reconnect")
        expect(got).toEqual(["before", "after"])
      } finally {
        await admin.end()
        await a.close()
        await b.close()
      }
    })
  },
)
