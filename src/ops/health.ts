/**
 * `health()`: `/healthz` (liveness: the process answers) and `/readyz` (readiness: each
 * registered check, such as the database, answers within its timeout), for load
 * balancers, Kubernetes probes and Docker HEALTHCHECK.
 * @module
 */
import { Blueprint, type Context } from "../kit.js"
import { opsErrors } from "./errors.js"

/**
 * A readiness check: resolves when the service is usable, throws or rejects when not.
 * @example
 * ```ts
 * import type { ReadinessCheck } from "truss/ops"
 * const queue: ReadinessCheck = async () => {
 *   const res = await fetch("http://127.0.0.1:9000/ping")
 *   if (!res.ok) throw new Error(`queue answered ${res.status}`)
 * }
 * ```
 */
export type ReadinessCheck = () => unknown

/**
 * Options for {@link health}.
 * @example
 * ```ts
 * import type { HealthOptions } from "truss/ops"
 * const options: HealthOptions = { checks: { cache: async () => {} }, timeoutMs: 1000 }
 * ```
 */
export interface HealthOptions {
  /** Named readiness checks, e.g. `{ database: databaseCheck(db), redis: redisCheck(client) }`. */
  checks?: Readonly<Record<string, ReadinessCheck>>
  /** Time each check gets before it counts as failed, in ms. @default 2000 */
  timeoutMs?: number
  /** Liveness path. @default "/healthz" */
  livePath?: string
  /** Readiness path. @default "/readyz" */
  readyPath?: string
}

/**
 * One check's outcome as `/readyz` reports it (never the error text: that goes to the log).
 * @example
 * ```ts
 * import type { CheckStatus } from "truss/ops"
 * const body: { status: string; checks: Record<string, CheckStatus> } = await (await fetch("http://127.0.0.1:3000/readyz")).json()
 * ```
 */
export type CheckStatus = "ok" | "failed" | "timeout"

async function runCheck(
  name: string,
  check: ReadinessCheck,
  timeoutMs: number,
  c: Context,
): Promise<CheckStatus> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<CheckStatus>((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs)
  })
  const run = (async () => {
    await check()
    return "ok" as const
  })().catch((err: unknown) => {
    c.log.warn({ err, check: name }, `readiness check ${name} failed`)
    return "failed" as const
  })
  try {
    const status = await Promise.race([run, timeout])
    if (status === "timeout")
      c.log.warn({ check: name, timeoutMs }, `readiness check ${name} timed out`)
    return status
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A blueprint with `GET /healthz` (200 `{ status: "ok" }` while the process runs) and
 * `GET /readyz` (200 with each check's status, or a 503 `TRUSS_ERR_OPS_NOT_READY`
 * problem naming the failing checks). Routes are named `health.live` and `health.ready`.
 *
 * @throws TRUSS_ERR_OPS_BAD_CHECK when a check is not a function.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { connect } from "truss/orm"
 * import { databaseCheck, health } from "truss/ops"
 * const db = await connect("sqlite::memory:")
 * const app = new App().register(health({ checks: { database: databaseCheck(db) } }))
 * const res = await app.request("/readyz") // 200 {"status":"ok","checks":{"database":"ok"}}
 * ```
 */
export function health(options: HealthOptions = {}): Blueprint {
  const checks = Object.entries(options.checks ?? {})
  for (const [name, check] of checks)
    if (typeof check !== "function") throw opsErrors.BAD_CHECK({ name })
  const timeoutMs = options.timeoutMs ?? 2000
  const bp = new Blueprint({ name: "health" })
  bp.get(options.livePath ?? "/healthz", { name: "live" }, function live(c) {
    c.header("cache-control", "no-store")
    return { status: "ok" }
  })
  bp.get(options.readyPath ?? "/readyz", { name: "ready" }, async function ready(c) {
    c.header("cache-control", "no-store")
    const results = await Promise.all(
      checks.map(
        async ([name, check]) => [name, await runCheck(name, check, timeoutMs, c)] as const,
      ),
    )
    const failing = results.filter(([, s]) => s !== "ok").map(([n, s]) => `${n} ${s}`)
    const report = Object.fromEntries(results)
    if (failing.length > 0) {
      throw opsErrors.NOT_READY(
        { failing: failing.join(", ") },
        { expose: true, extensions: { checks: report }, headers: { "cache-control": "no-store" } },
      )
    }
    return { status: "ok", checks: report }
  })
  return bp
}

/**
 * A readiness check that runs `SELECT 1` on a Truss database (any object with `run`).
 * @example
 * ```ts
 * import { connect } from "truss/orm"
 * import { databaseCheck } from "truss/ops"
 * const check = databaseCheck(await connect("sqlite::memory:"))
 * await check() // resolves: the database answers
 * ```
 */
export function databaseCheck(db: {
  run(sql: string, parameters: readonly unknown[]): Promise<unknown>
}): ReadinessCheck {
  return function database() {
    return db.run("SELECT 1", [])
  }
}

/**
 * A readiness check that sends PING to a Redis client (ioredis or anything with `ping`).
 * @example
 * ```ts
 * import { Redis } from "ioredis"
 * import { redisCheck } from "truss/ops"
 * const check = redisCheck(new Redis("redis://127.0.0.1:6379", { lazyConnect: true }))
 * ```
 */
export function redisCheck(client: { ping(): Promise<unknown> }): ReadinessCheck {
  return function redis() {
    return client.ping()
  }
}
