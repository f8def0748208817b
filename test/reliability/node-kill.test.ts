import { randomBytes } from "node:crypto"
import { afterAll, describe, expect, it } from "vitest"
import { hasService, SERVICES } from "../support/services.js"
import { BrowserUser } from "./browser-user.js"
import {
  dropRedisPrefix,
  EMAIL,
  eventually,
  freshSchema,
  PASSWORD,
  sleep,
  startNode,
  stopNode,
  type TrussNode,
} from "./cluster.js"
import { count, lost, startTraffic } from "./traffic.js"

const up = (await hasService("postgres")) && (await hasService("redis"))
const KINDS = ["me", "db", "healthz"] as const
type Run = { node: string; attempt: number; done: boolean }

describe.skipIf(!up)("a node killed with -9 under steady traffic on three nodes", () => {
  let nodes: TrussNode[] = []
  let drop: () => Promise<void> = async () => {}
  const prefix = `truss:test:rel:${randomBytes(4).toString("hex")}:`
  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopNode(n, "SIGKILL")))
    await drop()
    await dropRedisPrefix(prefix)
  })

  it("the other two answer every request, and another worker retries the job it was running", async () => {
    const schema = await freshSchema()
    drop = schema.drop
    const env = {
      PG_URL: schema.url(),
      REDIS_URL: SERVICES.redis.url,
      PREFIX: prefix,
      RATE_MAX: "1000000",
      LEASE_MS: "1500",
    }
    nodes = await Promise.all(
      ["n0", "n1", "n2"].map((name) =>
        startNode(name, { ...env, WORKER: name === "n0" ? "0" : "1" }),
      ),
    )
    const user = new BrowserUser()
    const { token } = (await user.get(nodes[0]!.url, "/csrf")).body as { token: string }
    await user.post(nodes[1]!.url, "/login", { email: EMAIL, password: PASSWORD }, token)
    const { token: fresh } = (await user.get(nodes[2]!.url, "/csrf")).body as { token: string }

    // A 2 s job; whichever worker claims it is the node that gets killed.
    expect(
      (await user.post(nodes[0]!.url, "/jobs", { tag: "slow", sleepMs: 2000 }, fresh)).status,
    ).toBe(200)
    const runsOf = async () =>
      ((await user.get(nodes[0]!.url, "/jobs/slow")).body as { runs: Run[] }).runs
    const started = await eventually(async () => (await runsOf()).length, 1)
    expect(started).toBe(1)
    const claimer = (await runsOf())[0]!.node
    const victim = nodes.find((n) => n.name === claimer)!
    const survivor = nodes.find((n) => n.name !== victim.name && n.name !== "n0")!

    const label = (i: number) => `${nodes[i % 3]!.name} ${KINDS[Math.floor(i / 3) % 3]}`
    const traffic = startTraffic(
      (i, signal) => {
        const base = nodes[i % 3]!.url
        const k = KINDS[Math.floor(i / 3) % 3]!
        return k === "me"
          ? user.request(base, "/me", { signal })
          : fetch(`${base}/${k}`, { signal })
      },
      { concurrency: 6, timeoutMs: 3000, label },
    )
    traffic.phase("before")
    await sleep(1000)
    traffic.phase("killed")
    const killedAt = Date.now()
    expect(await stopNode(victim, "SIGKILL")).toBe("SIGKILL")
    const retried = await eventually(
      async () => (await runsOf()).filter((r) => r.done).length,
      1,
      15_000,
    )
    const retriedMs = Date.now() - killedAt
    await sleep(500)
    const tallies = await traffic.stop()
    console.log("kill -9:", JSON.stringify({ victim: victim.name, retriedMs, ...tallies }, null, 1))

    expect(retried).toBe(1)
    expect(await runsOf()).toEqual([
      { node: victim.name, attempt: 1, done: false },
      { node: survivor.name, attempt: 2, done: true },
    ])
    const before = tallies.before!
    expect([lost(before), count(before, / 200$/)]).toEqual([0, before.sent])
    // After the kill: every request to the two others is a 200; the dead node's are
    // refused or reset connections (a balancer's retry), never an error status.
    const killed = tallies.killed!
    const others = new RegExp(`^(?!${victim.name} )`)
    const toOthers = Object.entries(killed.statuses).filter(([k]) => others.test(k))
    expect(toOthers.every(([k]) => k.endsWith(" 200"))).toBe(true)
    expect(Object.keys(killed.lost).every((k) => k.startsWith(`${victim.name} `))).toBe(true)
    expect(count(killed, new RegExp(`^${victim.name} [45]`))).toBe(0)
    expect(lost(killed)).toBeGreaterThan(0)
    for (const n of nodes)
      if (n !== victim) expect([n.name, n.child.exitCode]).toEqual([n.name, null])
  }, 60_000)
})
