import { randomUUID } from "node:crypto"
import pg from "pg"
import { realtimeErrors } from "../errors.js"
import { type Backplane, type BackplaneListener, Topics } from "./backplane.js"
import { Reassembler, splitBytes } from "./chunks.js"

/**
 * Options for {@link postgresBackplane}.
 * @example
 * ```ts
 * import type { PostgresBackplaneOptions } from "truss/realtime"
 * const options: PostgresBackplaneOptions = { connectionString: "postgres://postgres@127.0.0.1:5432/test", channel: "chat" }
 * ```
 */
export interface PostgresBackplaneOptions {
  /** Where to connect: one connection LISTENs, another NOTIFYs. */
  connectionString: string
  /** The PostgreSQL channel every topic travels on (an identifier, ≤ 63 bytes). @default "truss_realtime" */
  channel?: string
  /** Largest NOTIFY payload per piece, in bytes; PostgreSQL's limit is 8000. @default 7900 */
  maxPayload?: number
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * PostgreSQL `LISTEN/NOTIFY` as the backplane, on `pg`. A payload over NOTIFY's
 * 8000-byte limit is split into pieces sent by `pg_notify` in one transaction, so they
 * arrive together and in order, and is put back together before delivery. The listening
 * connection reconnects with backoff after it drops, LISTENs again, then runs the
 * {@link Backplane.onReconnect} listeners.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { postgresBackplane, realtime } from "truss/realtime"
 * const backplane = postgresBackplane({ connectionString: "postgres://postgres@127.0.0.1:5432/test" })
 * const rt = realtime(new App(), { backplane })
 * ```
 */
export function postgresBackplane(options: PostgresBackplaneOptions): Backplane {
  const channel = options.channel ?? "truss_realtime"
  const max = options.maxPayload ?? 7900
  if (!IDENTIFIER.test(channel)) {
    throw realtimeErrors.BAD_OPTION({
      option: "channel",
      value: JSON.stringify(channel),
      expected: "a lower-case SQL identifier of at most 63 bytes",
    })
  }
  if (!(max >= 200 && max <= 7999)) {
    throw realtimeErrors.BAD_OPTION({
      option: "maxPayload",
      value: String(max),
      expected: "200 to 7999",
    })
  }
  // One connection, FIFO: one publisher's messages keep their order.
  const pool = new pg.Pool({ connectionString: options.connectionString, max: 1 })
  pool.on("error", () => {})
  const topics = new Topics()
  const pieces = new Reassembler()
  const reconnects: (() => void)[] = []
  let closed = false
  let listener: pg.Client | undefined
  let ready: Promise<void> | undefined

  const onNotification = (msg: pg.Notification) => {
    const text = msg.payload ?? ""
    const a = text.indexOf(":")
    const b = text.indexOf(":", a + 1)
    const c = text.indexOf(":", b + 1)
    if (a < 0 || b < 0 || c < 0) return
    const whole = pieces.add(
      text.slice(0, a),
      Number(text.slice(a + 1, b)),
      Number(text.slice(b + 1, c)),
      text.slice(c + 1),
    )
    if (whole === undefined) return
    const split = whole.indexOf("\n")
    topics.emit(whole.slice(0, split), whole.slice(split + 1), (err) => console.error(err))
  }

  const connect = async (attempt: number): Promise<void> => {
    const client = new pg.Client({ connectionString: options.connectionString })
    client.on("notification", onNotification)
    client.on("error", () => {})
    client.on("end", () => {
      if (closed || listener !== client) return
      listener = undefined
      ready = retry(1)
    })
    await client.connect()
    await client.query(`LISTEN ${channel}`)
    if (closed) {
      await client.end()
      return
    }
    listener = client
    if (attempt > 0) for (const fn of reconnects) fn()
  }
  const retry = async (attempt: number): Promise<void> => {
    for (;;) {
      if (closed) return
      try {
        return await connect(attempt)
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** Math.min(attempt++, 6))))
      }
    }
  }
  const started = (): Promise<void> => {
    ready ??= connect(0).catch((err: unknown) => {
      ready = undefined
      throw realtimeErrors.BACKPLANE_UNAVAILABLE({ backplane: "PostgreSQL" }, { cause: err })
    })
    return ready
  }

  return {
    async publish(topic, payload) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      const parts = splitBytes(`${topic}\n${payload}`, max - 60)
      const id = randomUUID()
      let client: pg.PoolClient
      try {
        client = await pool.connect()
      } catch (err) {
        throw realtimeErrors.BACKPLANE_UNAVAILABLE({ backplane: "PostgreSQL" }, { cause: err })
      }
      try {
        if (parts.length > 1) await client.query("BEGIN")
        for (let i = 0; i < parts.length; i++) {
          await client.query("SELECT pg_notify($1, $2)", [
            channel,
            `${id}:${i}:${parts.length}:${parts[i]}`,
          ])
        }
        if (parts.length > 1) await client.query("COMMIT")
      } catch (err) {
        if (parts.length > 1) await client.query("ROLLBACK").catch(() => {})
        throw realtimeErrors.BACKPLANE_UNAVAILABLE({ backplane: "PostgreSQL" }, { cause: err })
      } finally {
        client.release()
      }
    },
    async subscribe(topic: string, fn: BackplaneListener) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      await started()
      topics.add(topic, fn)
      return async () => {
        topics.remove(topic, fn)
      }
    },
    onReconnect(fn) {
      reconnects.push(fn)
    },
    async close() {
      if (closed) return
      closed = true
      topics.clear()
      await ready?.catch(() => {})
      const client = listener
      listener = undefined
      await client?.end().catch(() => {})
      await pool.end()
    },
  }
}
