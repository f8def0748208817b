import type { JobBackend, JobRow } from "./backend.js"

/**
 * Coalesces the "done" writes of finished jobs into one call, and claims with it as
 * many next jobs as the worker has room for (`completeAndClaim`). One write is in
 * flight at a time: jobs that finish meanwhile join the next one, so the batch grows
 * with the round-trip time and a busy worker pays one round trip per batch, not two
 * per job.
 */
export function completer(
  backend: JobBackend,
  queue: string,
  leaseMs: number,
  room: () => number,
  accept: (row: JobRow) => void,
): (id: string) => Promise<void> {
  let batch: { id: string; resolve: () => void; reject: (e: unknown) => void }[] = []
  let flushing = false
  const flush = async (): Promise<void> => {
    flushing = true
    while (batch.length > 0) {
      const items = batch
      batch = []
      const ids = items.map((i) => i.id)
      try {
        if (backend.completeAndClaim !== undefined) {
          const next = await backend.completeAndClaim(ids, queue, room(), leaseMs)
          for (const row of next) accept(row)
        } else {
          await Promise.all(ids.map((id) => backend.finish(id, "done")))
        }
        for (const i of items) i.resolve()
      } catch (err) {
        for (const i of items) i.reject(err)
      }
    }
    flushing = false
  }
  return (id) =>
    new Promise<void>((resolve, reject) => {
      batch.push({ id, resolve, reject })
      if (batch.length === 1 && !flushing) setImmediate(() => void flush())
    })
}
