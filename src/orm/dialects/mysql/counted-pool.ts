/**
 * A `mysql2` pool as Kysely sees it, counting its connections for `db.poolStats()`:
 * mysql2 has no public counts, so this counts at the one door Kysely uses
 * (`getConnection` and `release`) instead of reading the pool's private queues.
 * @module
 */
import type { PoolStats } from "../driver.js"

type Callback = (err: unknown, conn?: RawConnection) => void

/** The part of a mysql2 pool connection Kysely and this module use. */
export interface RawConnection {
  query(...args: unknown[]): unknown
  release(): void
  once(event: "end", listener: () => void): unknown
}

/** The part of a mysql2 pool Kysely uses. */
export interface RawPool {
  getConnection(cb: Callback): void
  end(cb: (err?: unknown) => void): void
}

/** Wraps `pool`; `stats()` gives open, idle and waiting counts. */
export function countedPool(pool: RawPool): { pool: RawPool; stats: () => PoolStats } {
  let busy = 0
  let waiting = 0
  const open = new Set<RawConnection>()
  // One wrapper per raw connection, so Kysely keeps one MysqlConnection for it.
  const wrappers = new WeakMap<RawConnection, RawConnection>()
  const wrap = (raw: RawConnection): RawConnection => {
    let w = wrappers.get(raw)
    if (w === undefined) {
      open.add(raw)
      raw.once("end", () => open.delete(raw))
      w = {
        query: (...args) => raw.query(...args),
        release: () => {
          busy--
          raw.release()
        },
        once: (event, listener) => raw.once(event, listener),
      }
      wrappers.set(raw, w)
    }
    return w
  }
  return {
    pool: {
      getConnection(cb) {
        waiting++
        pool.getConnection((err, raw) => {
          waiting--
          if (err || raw === undefined) return cb(err)
          busy++
          cb(null, wrap(raw))
        })
      },
      end: (cb) => pool.end(cb),
    },
    stats: () => ({
      totalCount: open.size,
      idleCount: Math.max(0, open.size - busy),
      waitingCount: waiting,
    }),
  }
}
