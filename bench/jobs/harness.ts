/** One system under test: enqueue `n` no-op jobs, process them, and measure pickup. */
export interface Contender {
  readonly name: string
  /** Enqueues `n` no-op jobs (in the library's bulk API). */
  enqueue(n: number): Promise<void>
  /** Starts workers at `concurrency`; `onJob` runs in every handler. */
  start(concurrency: number, onJob: () => void): Promise<void>
  /** Enqueues one job (the pickup-latency probe). */
  enqueueOne(): Promise<void>
  stop(): Promise<void>
}

/** Throughput of one contender. */
export interface Throughput {
  readonly name: string
  readonly enqueueMs: number
  readonly processMs: number
  /** Jobs per second over enqueue + process. */
  readonly perSecond: number
  /** CPU time of this process (user + system) over enqueue + process, in ms. */
  readonly cpuMs: number
}

/** Pickup latency of one contender: enqueue call to handler start. */
export interface Latency {
  readonly name: string
  readonly p50: number
  readonly p99: number
}

/** Enqueues `n` jobs, then times a worker pool until its `n`-th handler has run. */
export async function throughput(
  c: Contender,
  n: number,
  concurrency: number,
): Promise<Throughput> {
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  await c.enqueue(n)
  const t1 = performance.now()
  let seen = 0
  let resolveAll: () => void = () => {}
  const all = new Promise<void>((r) => {
    resolveAll = r
  })
  await c.start(concurrency, () => {
    if (++seen === n) resolveAll()
  })
  const t2 = performance.now()
  await all
  const t3 = performance.now()
  const used = process.cpuUsage(cpu)
  await c.stop()
  const processMs = t3 - t2
  return {
    name: c.name,
    enqueueMs: t1 - t0,
    processMs,
    perSecond: n / ((t1 - t0 + processMs) / 1000),
    cpuMs: (used.user + used.system) / 1000,
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}

/** `samples` single jobs into an idle worker, one at a time, `gapMs` apart. */
export async function latency(c: Contender, samples: number, gapMs: number): Promise<Latency> {
  let started: (() => void) | undefined
  await c.start(1, () => started?.())
  // Let the workers settle into idle (LISTEN set up, first empty poll done).
  await new Promise((r) => setTimeout(r, 1000))
  const ms: number[] = []
  for (let i = 0; i < samples; i++) {
    await new Promise((r) => setTimeout(r, gapMs))
    const ran = new Promise<number>((r) => {
      started = () => r(performance.now())
    })
    const sent = performance.now()
    await c.enqueueOne()
    ms.push((await ran) - sent)
  }
  await c.stop()
  ms.sort((a, b) => a - b)
  return { name: c.name, p50: percentile(ms, 50), p99: percentile(ms, 99) }
}
