/**
 * The shared shape of every contender and the timing loop.
 * @module
 */

/** One way of running the five benchmark operations. */
export interface Contender {
  readonly name: string
  getByPk(id: number): Promise<unknown>
  join20(): Promise<unknown>
  insertOne(i: number): Promise<unknown>
  bulkInsert(rows: readonly { username: string; karma: number }[]): Promise<unknown>
  updateOne(id: number, karma: number): Promise<unknown>
  close(): Promise<void>
  /**
   * Brings the database to the same state before each timed round, outside the timing.
   * SQLite: checkpoints the WAL, which a contender reading `INSERT … RETURNING` with
   * `get()` (Drizzle) never does, so the next contender would pay for its backlog.
   */
  settle?(): Promise<void>
}

/** The operations, with how many times each runs per round. */
export const OPERATIONS = [
  { key: "getByPk", label: "get by primary key", iterations: 3000 },
  { key: "join20", label: "20 rows with a join", iterations: 1500 },
  { key: "insertOne", label: "insert one", iterations: 1500 },
  { key: "bulkInsert", label: "bulk insert 1,000", iterations: 20 },
  { key: "updateOne", label: "update one", iterations: 2000 },
] as const

export type OperationKey = (typeof OPERATIONS)[number]["key"]

let counter = 0

export async function once(c: Contender, op: OperationKey, i: number): Promise<void> {
  switch (op) {
    case "getByPk":
      await c.getByPk((i % 1000) + 1)
      return
    case "join20":
      await c.join20()
      return
    case "insertOne":
      await c.insertOne(++counter)
      return
    case "bulkInsert": {
      const base = ++counter * 10_000
      await c.bulkInsert(
        Array.from({ length: 1000 }, (_, k) => ({ username: `b${base + k}`, karma: k })),
      )
      return
    }
    case "updateOne":
      await c.updateOne((i % 1000) + 1, i)
  }
}

async function timed(c: Contender, op: OperationKey, iterations: number): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) await once(c, op, i)
  return Number(process.hrtime.bigint() - start) / 1000 / iterations
}

/**
 * Microseconds per operation for each contender: after a warm-up, rounds alternate
 * between contenders in a rotating order (so drift hits all alike) and the median
 * round counts.
 */
export async function measure(
  contenders: readonly Contender[],
  op: OperationKey,
  iterations: number,
  rounds = 7,
): Promise<number[]> {
  const warm = Math.max(3, Math.floor(iterations / 5))
  for (const c of contenders) for (let i = 0; i < warm; i++) await once(c, op, i)
  const samples = contenders.map((): number[] => [])
  for (let r = 0; r < rounds; r++) {
    // The order rotates each round: whoever runs after an allocation-heavy contender
    // pays for its garbage collection, so no one may always be the one after Drizzle.
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length
      await contenders[0]?.settle?.()
      samples[i]?.push(await timed(contenders[i] as Contender, op, iterations))
    }
  }
  return samples.map((s) => s.sort((a, b) => a - b)[Math.floor(s.length / 2)] as number)
}

/** Runs every operation on every contender and prints a Markdown table. */
export async function report(title: string, contenders: readonly Contender[]): Promise<string> {
  const lines = [
    `### ${title}`,
    "",
    `| operation | ${contenders.map((c) => `${c.name} µs (×raw)`).join(" | ")} |`,
    `|---|${contenders.map(() => "---:").join("|")}|`,
  ]
  for (const op of OPERATIONS) {
    const times = await measure(contenders, op.key, op.iterations)
    const raw = times[0] as number
    lines.push(
      `| ${op.label} | ${times.map((t) => `${t.toFixed(1)} (${(t / raw).toFixed(2)}×)`).join(" | ")} |`,
    )
  }
  return lines.join("\n")
}
