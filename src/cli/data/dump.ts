/**
 * `dumpRows()` and `loadRows()`: the work of `truss dumpdata` and `truss loaddata`.
 * @module
 */
import type { AnyModel, Database } from "../../orm/index.js"
import { cliErrors } from "../errors.js"
import { type DumpLine, decodeRow, encodeRow } from "./codec.js"

/** Writes every row of `models` (in that order, by primary key) as JSON lines. */
export async function dumpRows(
  db: Database,
  models: readonly AnyModel[],
  write: (line: string) => void | Promise<void>,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const m of models) {
    let n = 0
    const qs = db.query(m).orderBy(m.meta.pk.key as never)
    for await (const chunk of qs.chunks(500)) {
      for (const row of chunk)
        await write(JSON.stringify(encodeRow(m, row as Record<string, unknown>)))
      n += chunk.length
    }
    counts.set(m.name, n)
  }
  return counts
}

/** Parses one dump line; throws TRUSS_ERR_CLI_BAD_FIXTURE with file and line. */
export function parseLine(text: string, file: string, line: number): DumpLine {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw cliErrors.BAD_FIXTURE({ file, line, reason: (err as Error).message }, { cause: err })
  }
  const v = value as Partial<DumpLine> | null
  if (!v || typeof v.model !== "string" || typeof v.fields !== "object" || v.fields === null)
    throw cliErrors.BAD_FIXTURE({ file, line, reason: "model or fields is missing" })
  return v as DumpLine
}

const BATCH = 500

/**
 * Inserts the lines in one transaction, batching consecutive rows of one model, then
 * moves PostgreSQL identity sequences past the loaded keys.
 */
export async function loadRows(
  db: Database,
  models: readonly AnyModel[],
  lines: AsyncIterable<DumpLine> | Iterable<DumpLine>,
): Promise<Map<string, number>> {
  const byName = new Map(models.map((m) => [m.name, m]))
  const counts = new Map<string, number>()
  await db.transaction(async (tx) => {
    let model: AnyModel | undefined
    let batch: Record<string, unknown>[] = []
    const flush = async () => {
      if (model && batch.length > 0) await tx.query(model).bulkCreate(batch as never)
      batch = []
    }
    for await (const line of lines) {
      const m = byName.get(line.model)
      if (!m)
        throw cliErrors.UNKNOWN_MODEL({ name: line.model, known: [...byName.keys()].join(", ") })
      if (m !== model || batch.length >= BATCH) await flush()
      model = m
      batch.push(decodeRow(m, line))
      counts.set(m.name, (counts.get(m.name) ?? 0) + 1)
    }
    await flush()
  })
  if (db.dialect.name === "postgres") await resetSequences(db, models, counts)
  return counts
}

async function resetSequences(
  db: Database,
  models: readonly AnyModel[],
  counts: ReadonlyMap<string, number>,
): Promise<void> {
  for (const m of models) {
    if (!counts.get(m.name) || m.meta.pk.kind !== "id") continue
    const table = `"${m.meta.table.replaceAll('"', '""')}"`
    const col = m.meta.pk.column
    await db.run(
      `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX("${col}") FROM ${table}), 1))`,
      [table, col],
    )
  }
}
