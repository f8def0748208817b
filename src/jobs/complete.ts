import type { JobBackend, JobRow } from "./backend.js"

/**
 * Coalesces the "done" writes of jobs that finish in the same tick into one call, and
 * claims as many next jobs with it as slots it frees (`completeAndClaim`), so a busy
 * worker makes one round trip per batch instead of two per job.
 */
export function completer(
  backend: JobBackend,
  queue: string,
  leaseMs: number,
  more: () => boolean,
  spawn: (row: JobRow) => void,
): (id: string) => Promise<void> {
  let batch: { id: string; resolve: () => void; reject: (e: unknown) => void }[] = []
  const flush = async (): Promise<void> => {
    const items = batch
    batch = []
    const ids = items.map((i) => i.id)
    try {
      if (backend.completeAndClaim !== undefined) {
        const next = await backend.completeAndClaim(ids, queue, more() ? ids.length : 0, leaseMs)
        // Stopping meanwhile: the claimed jobs go straight back.
        for (const row of next) more() ? spawn(row) : await backend.release(row.id)
      } else {
        await Promise.all(ids.map((id) => backend.finish(id, "done")))
      }
      for (const i of items) i.resolve()
    } catch (err) {
      for (const i of items) i.reject(err)
    }
  }
  return (id) =>
    new Promise<void>((resolve, reject) => {
      batch.push({ id, resolve, reject })
      if (batch.length === 1) setImmediate(() => void flush())
    })
}
