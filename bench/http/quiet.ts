/**
 * Other work on a shared machine: how busy the two benchmark cores are while our
 * processes idle, and waiting for a quiet moment before a timed run.
 * @module
 */
import { readFileSync } from "node:fs"
import { setTimeout as sleep } from "node:timers/promises"

type Ticks = { busy: number; total: number }

function ticks(cpus: readonly number[]): Ticks[] {
  const lines = readFileSync("/proc/stat", "utf8").split("\n")
  return cpus.map((n) => {
    const fields = lines
      .find((l) => l.startsWith(`cpu${n} `))!
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number)
    const total = fields.reduce((a, b) => a + b, 0)
    return { busy: total - fields[3]! - fields[4]!, total }
  })
}

/** The busiest of `cpus` over `ms`, as a share of one core (0 to 1). */
export async function busiest(cpus: readonly number[], ms = 500): Promise<number> {
  const before = ticks(cpus)
  await sleep(ms)
  const after = ticks(cpus)
  return Math.max(
    ...after.map((a, i) => {
      const total = a.total - before[i]!.total
      return total === 0 ? 0 : (a.busy - before[i]!.busy) / total
    }),
  )
}

/**
 * Waits until other processes use less than `threshold` of each benchmark core, for
 * at most `maxMs`. Returns the last reading; it never preempts anyone.
 */
export async function waitForQuiet(
  cpus: readonly number[],
  threshold: number,
  maxMs: number,
): Promise<number> {
  const deadline = Date.now() + maxMs
  let busy = await busiest(cpus)
  while (busy > threshold && Date.now() < deadline) busy = await busiest(cpus)
  return busy
}
