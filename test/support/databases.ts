import { randomBytes } from "node:crypto"
import { type ConnectOptions, connect, type Database } from "../../src/orm/index.js"
import { hasService, SERVICES } from "./services.js"

/** The SQL flavour a test database speaks (what exact-SQL expectations are keyed by). */
export type SqlFlavour = "sqlite" | "postgres" | "mariadb"

/** One database the conformance suite runs on. */
export interface TestDatabase {
  /**
   * The entry: a flavour, `mysql-no-returning` (MariaDB with `returning: false`, which
   * runs the MySQL path: no RETURNING, rows read back by primary key) or
   * `postgres-pipeline` (PostgreSQL with `pipeline: 2, prepare: true`: queries outside
   * transactions pipelined as named statements).
   */
  readonly name: SqlFlavour | "mysql-no-returning" | "postgres-pipeline"
  /** The SQL flavour, for expectations shared by MariaDB with and without RETURNING. */
  readonly sql: SqlFlavour
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
  returning?: false,
): Promise<{ db: Database; url: string; drop(): Promise<void> }> {
  const admin = await connect(SERVICES.mariadb.url)
  const name = unique()
  await admin.run(`CREATE DATABASE \`${name}\``, [])
  const url = SERVICES.mariadb.url.replace(/\/test$/, `/${name}`)
  const db = await connect(url, returning === false ? { ...options, returning } : options)
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

/**
 * SQLite always; PostgreSQL and MariaDB when their servers are up, each twice:
 * PostgreSQL plain and pipelined, MariaDB with RETURNING and as `mysql-no-returning`
 * without it (the path MySQL takes).
 */
export async function testDatabases(): Promise<TestDatabase[]> {
  const [pg, maria] = await Promise.all([hasService("postgres"), hasService("mariadb")])
  return [
    {
      name: "sqlite",
      sql: "sqlite",
      available: true,
      async open(options?: ConnectOptions) {
        const db = await connect("sqlite::memory:", options)
        return { db, url: "sqlite::memory:", drop: () => db.close() }
      },
    },
    { name: "postgres", sql: "postgres", available: pg, open: openPostgres },
    {
      name: "postgres-pipeline",
      sql: "postgres",
      available: pg,
      open: (o) => openPostgres({ pipeline: 2, prepare: true, ...o }),
    },
    { name: "mariadb", sql: "mariadb", available: maria, open: (o) => openMariadb(o) },
    {
      name: "mysql-no-returning",
      sql: "mariadb",
      available: maria,
      open: (o) => openMariadb(o, false),
    },
  ]
}

/**
 * Writes SQL once with `"` quotes and `?` placeholders and renders it for a dialect:
 * backticks on MariaDB, `$1…` on PostgreSQL.
 */
export function sqlFor(name: TestDatabase["name"], generic: string): string {
  if (name === "mariadb" || name === "mysql-no-returning") return generic.replaceAll('"', "`")
  if (name === "postgres" || name === "postgres-pipeline") {
    let n = 0
    return generic.replace(/\?/g, () => `$${++n}`)
  }
  return generic
}

/**
 * What SQL expectations are keyed by: the flavour, except `mysql-no-returning`, whose
 * SQL differs from MariaDB's (a pipelined PostgreSQL sends PostgreSQL's SQL).
 */
export function sqlKey(target: TestDatabase): SqlFlavour | "mysql-no-returning" {
  return target.name === "mysql-no-returning" ? target.name : target.sql
}
