import { randomBytes } from "node:crypto"
import { type ConnectOptions, connect, type Database } from "../../../src/orm/index.js"
import { hasService, SERVICES } from "../../support/services.js"

/** One database the conformance suite runs on. */
export interface TestDatabase {
  readonly name: "sqlite" | "postgres" | "mariadb"
  readonly available: boolean
  /** Opens an isolated database (own schema / database); `drop()` removes it. */
  open(options?: ConnectOptions): Promise<{ db: Database; url: string; drop(): Promise<void> }>
}

function unique(): string {
  return `truss_orm_${randomBytes(4).toString("hex")}`
}

async function openPostgres(
  options?: ConnectOptions,
): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const admin = await connect(SERVICES.postgres.url)
  const schema = unique()
  await admin.run(`CREATE SCHEMA "${schema}"`, [])
  const url = `${SERVICES.postgres.url}?options=-c%20search_path%3D${schema}`
  const db = await connect(url, options)
  return {
    db,
    url,
    async drop() {
      await db.close()
      await admin.run(`DROP SCHEMA "${schema}" CASCADE`, [])
      await admin.close()
    },
  }
}

async function openMariadb(
  options?: ConnectOptions,
): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const admin = await connect(SERVICES.mariadb.url)
  const name = unique()
  await admin.run(`CREATE DATABASE \`${name}\``, [])
  const url = SERVICES.mariadb.url.replace(/\/test$/, `/${name}`)
  const db = await connect(url, options)
  return {
    db,
    url,
    async drop() {
      await db.close()
      await admin.run(`DROP DATABASE \`${name}\``, [])
      await admin.close()
    },
  }
}

/** SQLite always; PostgreSQL and MariaDB when their servers are up. */
export async function testDatabases(): Promise<TestDatabase[]> {
  const [pg, maria] = await Promise.all([hasService("postgres"), hasService("mariadb")])
  return [
    {
      name: "sqlite",
      available: true,
      async open(options?: ConnectOptions) {
        const db = await connect("sqlite::memory:", options)
        return { db, url: "sqlite::memory:", drop: () => db.close() }
      },
    },
    { name: "postgres", available: pg, open: openPostgres },
    { name: "mariadb", available: maria, open: openMariadb },
  ]
}

/**
 * Writes SQL once with `"` quotes and `?` placeholders and renders it for a dialect:
 * backticks on MariaDB, `$1…` on PostgreSQL.
 */
export function sqlFor(name: TestDatabase["name"], generic: string): string {
  if (name === "mariadb") return generic.replaceAll('"', "`")
  if (name === "postgres") {
    let n = 0
    return generic.replace(/\?/g, () => `$${++n}`)
  }
  return generic
}
