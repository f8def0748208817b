/**
 * Creates and seeds the TFB database in PostgreSQL: `world` (10,000 rows of
 * id/randomNumber 1..10000) and `fortune` (the 12 standard fortunes). Lower-case,
 * unquoted names as in TFB's own PostgreSQL script. Idempotent: it recreates both
 * tables and creates the database when it is missing.
 *
 * `npx tsx bench/tfb/seed.ts` (TFB_DATABASE_URL overrides the URL).
 * @module
 */
import pg from "pg"
import { DATABASE_URL, FORTUNES, randomWorld, WORLD_ROWS } from "./db.js"

async function ensureDatabase(url: URL): Promise<void> {
  const name = url.pathname.slice(1)
  const admin = new URL(url)
  admin.pathname = "/postgres"
  const client = new pg.Client({ connectionString: admin.href })
  await client.connect()
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`)
  } finally {
    await client.end()
  }
}

/** Creates the database if needed and (re)creates and fills both tables. */
export async function seed(url = DATABASE_URL): Promise<void> {
  await ensureDatabase(new URL(url))
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query("BEGIN")
    await client.query("DROP TABLE IF EXISTS world, fortune")
    await client.query(
      "CREATE TABLE world (id integer NOT NULL PRIMARY KEY, randomnumber integer NOT NULL DEFAULT 0)",
    )
    await client.query(
      "CREATE TABLE fortune (id integer NOT NULL PRIMARY KEY, message varchar(2048) NOT NULL)",
    )
    const ids = Array.from({ length: WORLD_ROWS }, (_, i) => i + 1)
    await client.query(
      "INSERT INTO world (id, randomnumber) SELECT * FROM unnest($1::int[], $2::int[])",
      [ids, ids.map(() => randomWorld())],
    )
    await client.query(
      "INSERT INTO fortune (id, message) SELECT * FROM unnest($1::int[], $2::text[])",
      [FORTUNES.map(([id]) => id), FORTUNES.map(([, m]) => m)],
    )
    await client.query("COMMIT")
    await client.query("VACUUM ANALYZE world")
    await client.query("VACUUM ANALYZE fortune")
    const { rows } = await client.query<{ w: string; f: string }>(
      "SELECT (SELECT count(*) FROM world) AS w, (SELECT count(*) FROM fortune) AS f",
    )
    console.log(`seeded ${url}: world ${rows[0]?.w} rows, fortune ${rows[0]?.f} rows`)
  } finally {
    await client.end()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await seed()
