/**
 * `npm run bench:orm`: Truss ORM vs the raw driver vs Kysely vs Drizzle on SQLite and
 * PostgreSQL (when it is up). Prints per-operation microseconds and the ratio to raw.
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { connect } from "../../src/orm/index.js"
import { hasService, SERVICES } from "../../test/support/services.js"
import { type Contender, report } from "./harness.js"
import { postgresContenders } from "./postgres.js"
import { seed } from "./schema.js"
import { sqliteContenders } from "./sqlite.js"

async function closeAll(contenders: readonly Contender[]): Promise<void> {
  for (const c of contenders) await c.close()
}

const tables: string[] = []
const dir = mkdtempSync(join(tmpdir(), "truss-bench-"))
try {
  const file = join(dir, "bench.db")
  const setup = await connect(`sqlite:${file}`)
  await seed(setup)
  await setup.close()
  const sqlite = await sqliteContenders(file)
  tables.push(await report("SQLite (better-sqlite3, file, WAL)", sqlite))
  await closeAll(sqlite)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

if (await hasService("postgres")) {
  const admin = await connect(SERVICES.postgres.url)
  const schema = `truss_bench_${process.pid}`
  await admin.run(`CREATE SCHEMA "${schema}"`, [])
  try {
    const url = `${SERVICES.postgres.url}?options=-c%20search_path%3D${schema}`
    const setup = await connect(url)
    await seed(setup)
    await setup.close()
    const pgs = await postgresContenders(url)
    tables.push(await report("PostgreSQL 15 (pg, pool of 10, localhost)", pgs))
    await closeAll(pgs)
  } finally {
    await admin.run(`DROP SCHEMA "${schema}" CASCADE`, [])
    await admin.close()
  }
}

console.log(`Node ${process.version}, one request at a time, median of 7 alternating rounds.\n`)
console.log(tables.join("\n\n"))
