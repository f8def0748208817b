/**
 * What the reliability tests share: an isolated PostgreSQL schema with the fixture's
 * tables and user, Truss node processes (test/reliability/fixtures/node.ts), and small
 * waiting helpers.
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { Redis } from "ioredis"
import { AuthSession, authModels, createUser } from "../../src/auth/index.js"
import { jobsModels } from "../../src/jobs/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"
import { SERVICES } from "../support/services.js"
import { JobRun } from "./fixtures/models.js"

const ROOT = join(import.meta.dirname, "../..")
export const EMAIL = "ann@example.com"
export const PASSWORD = "a long enough passphrase"

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A fresh schema on the server at `base` (the shared PostgreSQL) with the fixture's tables and one user. */
export async function freshSchema(
  base: string = SERVICES.postgres.url,
): Promise<{ name: string; url(base?: string): string; db: Database; drop(): Promise<void> }> {
  const admin = await connect(base)
  const name = `truss_rel_${randomBytes(4).toString("hex")}`
  await admin.run(`CREATE SCHEMA "${name}"`, [])
  const url = (b = base) => `${b}?options=-c%20search_path%3D${name}`
  const db = await connect(url(base))
  await createTables(db, [...authModels, AuthSession, ...jobsModels, JobRun])
  await createUser(db, { email: EMAIL, password: PASSWORD })
  return {
    name,
    url,
    db,
    async drop() {
      await db.close()
      await admin.run(`DROP SCHEMA "${name}" CASCADE`, [])
      await admin.close()
    },
  }
}

/** One node process and its base URL. */
export interface TrussNode {
  readonly name: string
  readonly url: string
  readonly child: ChildProcess
  /** Resolves with the exit code or signal. */
  readonly exited: Promise<number | string>
  /** The last 64 KiB the process wrote to stderr (its error log). */
  stderr(): string
}

/** Starts `fixtures/node.ts` (node with tsx as its loader, so SIGKILL reaches the server). */
export async function startNode(name: string, env: Record<string, string>): Promise<TrussNode> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "fixtures/node.ts")],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_NAME: name, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  )
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "")),
  )
  let stderr = ""
  child.stderr!.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-65_536)
  })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const first = await lines.next()
  if (first.done) throw new Error(`node ${name} exited before it listened:\n${stderr}`)
  const { port } = JSON.parse(first.value as string) as { port: number }
  return { name, url: `http://127.0.0.1:${port}`, child, exited, stderr: () => stderr }
}

/** SIGTERM (or `signal`) and waits for the exit. */
export async function stopNode(node: TrussNode, signal: NodeJS.Signals = "SIGTERM") {
  if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill(signal)
  return node.exited
}

/** Polls `read` until it gives `expected` (deep, by JSON) or `timeout` passes; returns the last value. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeout = 10_000) {
  const end = Date.now() + timeout
  let last = await read()
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < end) {
    await sleep(50)
    last = await read()
  }
  return last
}

/** Throws, with its error log, for the first node that is no longer running. */
export function assertAlive(nodes: readonly TrussNode[]): void {
  for (const n of nodes) {
    if (n.child.exitCode !== null || n.child.signalCode !== null)
      throw new Error(
        `node ${n.name} exited (${n.child.exitCode ?? n.child.signalCode}):\n${n.stderr().slice(-4000)}`,
      )
  }
}

/** Deletes every key under `prefix` from the shared Redis (sessions would stay two weeks). */
export async function dropRedisPrefix(
  prefix: string,
  url: string = SERVICES.redis.url,
): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<
      string[]
    >) {
      if (keys.length > 0) await redis.del(...keys)
    }
  } finally {
    redis.disconnect()
  }
}
