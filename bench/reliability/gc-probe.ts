/**
 * Preloaded into the soaked server (`node --expose-gc --import …/gc-probe.ts`): on
 * SIGUSR2 it runs a full GC and writes `soak-probe {heapUsed, rss, fds}` to stderr. The
 * app itself is unchanged.
 * @module
 */
import { readdirSync } from "node:fs"

const gc = (globalThis as { gc?: () => void }).gc
process.on("SIGUSR2", () => {
  gc?.()
  const { heapUsed, rss } = process.memoryUsage()
  const fds = readdirSync("/proc/self/fd").length
  process.stderr.write(
    `soak-probe ${JSON.stringify({ heapUsed, rss, fds, gc: gc !== undefined })}\n`,
  )
})
