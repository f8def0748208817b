/**
 * Fail-fast Redis calls for the batteries' Redis stores (sessions, rate limits, cache).
 * Typed structurally, so the core never imports ioredis.
 * @module
 */

/** What this module reads of an ioredis client. */
export interface RedisStatus {
  readonly status: string
}

/** Statuses in which ioredis has lost its connection and would queue a command. */
const DOWN = new Set(["reconnecting", "close", "end"])

/**
 * The error for a client that has lost its connection, or undefined while it has one.
 * ioredis would otherwise hold the command in its offline queue (by default until 20
 * reconnect attempts, about 10 s, have failed).
 */
export function redisUnreachable(client: RedisStatus): Error | undefined {
  const status = client.status
  return DOWN.has(status) ? new Error(`Redis is unreachable (${status})`) : undefined
}

/**
 * Runs Redis calls so that a server that is down fails them at once: while the client
 * is reconnecting a call rejects immediately, and any other call waits at most
 * `timeoutMs` (one sent just before the connection dropped is resent by ioredis after
 * the reconnect, seconds later).
 */
export function redisCalls(
  client: RedisStatus,
  timeoutMs: number,
): <T>(call: () => Promise<T>) => Promise<T> {
  return (call) => {
    const down = redisUnreachable(client)
    if (down !== undefined) return Promise.reject(down)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${timeoutMs} ms (${client.status})`)),
        timeoutMs,
      )
      call()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer))
    })
  }
}
