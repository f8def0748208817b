import type { Redis } from "ioredis"

/** Statuses in which ioredis has lost its connection and would queue a command. */
const DOWN = new Set(["reconnecting", "close", "end"])

/**
 * Runs Redis calls so that a server that is down fails them at once instead of
 * leaving them in ioredis's offline queue (by default until 20 reconnect attempts,
 * about 10 s, have failed): while the client is reconnecting a call rejects
 * immediately, and any other call waits at most `timeoutMs` (one sent just before the
 * connection dropped is resent by ioredis after the reconnect, seconds later).
 */
export function redisCalls(
  client: Redis,
  timeoutMs: number,
): <T>(call: () => Promise<T>) => Promise<T> {
  return (call) => {
    const status = client.status
    if (DOWN.has(status)) return Promise.reject(new Error(`Redis is unreachable (${status})`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${timeoutMs} ms (${status})`)),
        timeoutMs,
      )
      call()
        .then(resolve, reject)
        .finally(() => clearTimeout(timer))
    })
  }
}
