import { randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { createClient } from "../../src/testing/index.js"
import { hasService, SERVICES } from "../support/services.js"
import { BrowserUser } from "./browser-user.js"
import {
  dropRedisPrefix,
  EMAIL,
  eventually,
  freshSchema,
  PASSWORD,
  startNode,
  stopNode,
  type TrussNode,
} from "./cluster.js"

const up = (await hasService("postgres")) && (await hasService("redis"))

for (const store of ["redis", "database"] as const) {
  describe.skipIf(!up)(`three nodes on PostgreSQL and Redis, sessions in ${store}`, () => {
    let nodes: TrussNode[] = []
    let drop: () => Promise<void> = async () => {}
    const prefix = `truss:test:rel:${randomBytes(4).toString("hex")}:`
    afterAll(async () => {
      await Promise.all(nodes.map((n) => stopNode(n, "SIGKILL")))
      await drop()
      await dropRedisPrefix(prefix)
    })

    it("one user across the three in rotation sees one session, CSRF secret, rate limit, cache, realtime and job queue", async () => {
      const schema = await freshSchema()
      drop = schema.drop
      const env = {
        PG_URL: schema.url(),
        REDIS_URL: SERVICES.redis.url,
        PREFIX: prefix,
        SESSIONS: store,
      }
      nodes = await Promise.all(
        ["n0", "n1", "n2"].map((name) =>
          startNode(name, { ...env, WORKER: name === "n0" ? "0" : "1" }),
        ),
      )
      const [n0, n1, n2] = nodes.map((n) => n.url) as [string, string, string]
      const user = new BrowserUser()

      // Login: the CSRF token comes from n0, the login is posted to n1.
      const first = await user.get(n0, "/csrf")
      expect(first.status).toBe(200)
      const { token } = first.body as { token: string }
      expect(await user.post(n1, "/login", { email: EMAIL, password: PASSWORD }, token)).toEqual({
        status: 200,
        body: { node: "n1", ok: true },
      })
      // The session: one visit counter and one user, whichever node answers.
      const visits = []
      for (let i = 0; i < 6; i++) visits.push((await user.get(nodes[i % 3]!.url, "/me")).body)
      expect(visits).toEqual(
        [1, 2, 3, 4, 5, 6].map((v, i) => ({ node: `n${i % 3}`, user: EMAIL, visits: v })),
      )

      // CSRF: a token masked by one node is accepted by the others; none or a forged one is refused.
      const { token: fromN2 } = (await user.get(n2, "/csrf")).body as { token: string }
      expect(await user.post(n0, "/transfer", {}, fromN2)).toEqual({
        status: 200,
        body: { node: "n0", ok: true },
      })
      expect(await user.post(n1, "/transfer", {}, fromN2)).toEqual({
        status: 200,
        body: { node: "n1", ok: true },
      })
      const missing = await user.post(n2, "/transfer", {})
      expect([missing.status, (missing.body as { code: string }).code]).toEqual([
        403,
        "TRUSS_ERR_CSRF_MISSING",
      ])
      const forged = await user.post(n2, "/transfer", {}, "A".repeat(fromN2.length))
      expect(forged.status).toBe(403)

      // One rate-limit counter (max 5 a minute) for the user, whichever node counts.
      const limits: [number, string | null][] = []
      for (let i = 0; i < 7; i++) {
        const res = await user.request(nodes[i % 3]!.url, "/limited")
        await res.arrayBuffer()
        limits.push([res.status, res.headers.get("ratelimit-remaining")])
      }
      expect(limits).toEqual([
        [200, "4"],
        [200, "3"],
        [200, "2"],
        [200, "1"],
        [200, "0"],
        [429, "0"],
        [429, "0"],
      ])

      // One cache: the value computed on n0 is what n1 and n2 read.
      const cached = []
      for (const base of [n0, n1, n2, n0])
        cached.push((await user.get(base, "/cached/greeting")).body)
      expect(cached).toEqual(
        ["n0", "n1", "n2", "n0"].map((node) => ({ node, value: { by: "n0", n: 1 } })),
      )

      // Realtime: one socket on each node; presence and broadcasts are the cluster's.
      const sockets = await Promise.all(
        nodes.map((n, i) => createClient(n.url).ws(`/ws?user=u${i}`)),
      )
      for (const s of sockets) s.send({ op: "join", room: "rooms/1" })
      for (const n of nodes) {
        const seen = await eventually(
          async () => (await user.get(n.url, "/presence/1")).body,
          ["u0", "u1", "u2"],
        )
        expect(seen).toEqual(["u0", "u1", "u2"])
      }
      sockets[0]!.send({ op: "say", room: "rooms/1", text: "hello" })
      for (const s of sockets.slice(1)) {
        expect((await s.nextEvent("said", "rooms/1", 5000)).data).toEqual({
          from: "u0",
          node: "n0",
          text: "hello",
        })
      }
      for (const s of sockets) await s.close()

      // Jobs: enqueued on every node, each run once by n1 or n2 (n0 runs no worker).
      const tags = ["a", "b", "c", "d", "e", "f"]
      for (const [i, tag] of tags.entries()) {
        const res = await user.post(nodes[i % 3]!.url, "/jobs", { tag, sleepMs: 0 }, fromN2)
        expect(res.status).toBe(200)
      }
      for (const tag of tags) {
        const ran = await eventually(
          async () =>
            (
              (await user.get(n0, `/jobs/${tag}`)).body as { runs: { done: boolean }[] }
            ).runs.filter((r) => r.done).length,
          1,
        )
        expect(ran).toBe(1)
        const { runs } = (await user.get(n2, `/jobs/${tag}`)).body as {
          runs: { node: string; attempt: number; done: boolean }[]
        }
        expect(["n1", "n2"]).toContain(runs[0]?.node)
        expect(runs).toEqual([{ node: runs[0]!.node, attempt: 1, done: true }])
      }
      for (const n of nodes) expect(n.child.exitCode).toBe(null)
    }, 60_000)
  })
}
