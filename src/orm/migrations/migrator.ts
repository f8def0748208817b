/**
 * Runs migrations: history table, lock, transactions, rollback and SQL previews.
 * @module
 */

import { mkdir, readdir, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import type { Database } from "../database.js"
import { ormErrors } from "../errors.js"
import { type Executor, Transaction } from "../executor.js"
import type { AnyModel } from "../model.js"
import { diffStates, type RenameOptions } from "./autodetect.js"
import { operationSql } from "./ddl.js"
import { applyOperation, type Migration, type Operation, reverseOperation } from "./operations.js"
import { runPostMigrate } from "./post-migrate.js"
import { modelsState, type SchemaState } from "./state.js"
import { migrationSource, migrationSuffix } from "./writer.js"

/** A migration file, loaded. */
export interface LoadedMigration {
  readonly name: string
  readonly migration: Migration
}

/**
 * Options of {@link Migrator}.
 * @example
 * ```ts
 * import { Migrator, connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const migrator = new Migrator(db, { dir: "./migrations", log: console.log, lockTimeoutMs: 30_000 })
 * ```
 */
export interface MigratorOptions {
  /** The folder holding `0001_initial.ts`, … */
  dir: string
  /** Receives progress lines and the SQL as it runs. */
  log?: (line: string) => void
  /** How long to wait for another process's migration lock. @default 10000 */
  lockTimeoutMs?: number
  /** Imports a migration file by URL (the CLI passes a TypeScript-aware loader). @default import() */
  importer?: (url: string) => Promise<unknown>
}

const FILE = /^(\d{4}_[\w-]+)\.(ts|mts|js|mjs)$/
const HISTORY = "truss_migrations"
const LOCK = "truss_migrations_lock"

/**
 * Applies, rolls back, previews and generates migrations for one database.
 *
 * @example
 * ```ts
 * import { Migrator, connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const migrator = new Migrator(db, { dir: "./migrations" })
 * // await migrator.migrate()
 * ```
 */
export class Migrator {
  readonly #db: Database
  readonly #dir: string
  readonly #log: (line: string) => void
  readonly #lockTimeout: number
  readonly #import: (url: string) => Promise<unknown>

  constructor(db: Database, options: MigratorOptions) {
    this.#db = db
    this.#dir = resolve(options.dir)
    this.#log = options.log ?? (() => {})
    this.#lockTimeout = options.lockTimeoutMs ?? 10_000
    this.#import = options.importer ?? ((url) => import(url))
  }

  /** Loads the migration files in name order. */
  async load(): Promise<LoadedMigration[]> {
    let files: string[]
    try {
      files = await readdir(this.#dir)
    } catch {
      return []
    }
    const out: LoadedMigration[] = []
    for (const f of files.sort()) {
      const m = FILE.exec(f)
      if (!m?.[1] || out.some((x) => x.name === m[1])) continue
      const mod = (await this.#import(pathToFileURL(join(this.#dir, f)).href)) as {
        default: Migration
      }
      out.push({ name: m[1], migration: mod.default })
    }
    return out
  }

  /** The schema state after the first `count` migrations (all when omitted). */
  static replay(migrations: readonly LoadedMigration[], count = migrations.length): SchemaState {
    let state: SchemaState = {}
    for (const { migration } of migrations.slice(0, count)) {
      for (const o of migration.operations) state = applyOperation(state, o)
    }
    return state
  }

  /** Each migration with whether it is applied. */
  async status(): Promise<{ name: string; applied: boolean }[]> {
    const [all, done] = await Promise.all([this.load(), this.#applied(this.#db)])
    return all.map(({ name }) => ({ name, applied: done.has(name) }))
  }

  async #applied(ex: Executor): Promise<Set<string>> {
    const q = ex.dialect.quote
    await ex.run(
      `CREATE TABLE IF NOT EXISTS ${q(HISTORY)} (${q("name")} VARCHAR(255) NOT NULL PRIMARY KEY, ${q("applied_at")} VARCHAR(40) NOT NULL)`,
      [],
    )
    const { rows } = await ex.run(`SELECT ${q("name")} FROM ${q(HISTORY)}`, [])
    return new Set(rows.map((r) => String(r.name)))
  }

  /** The forward (or backward) SQL of one migration, without running it. */
  async sql(name: string, options: { backward?: boolean } = {}): Promise<string[]> {
    const all = await this.load()
    const i = all.findIndex((m) => m.name === name)
    if (i < 0)
      throw ormErrors.MIGRATION_UNKNOWN({
        name,
        known: all.map((m) => m.name).join(", ") || "none",
      })
    const before = Migrator.replay(all, i)
    const ops = (all[i] as LoadedMigration).migration.operations
    return options.backward
      ? plan(before, ops, true).flatMap(([s, o]) => operationSql(this.#db.dialect, s, o))
      : plan(before, ops, false).flatMap(([s, o]) => operationSql(this.#db.dialect, s, o))
  }

  /**
   * Applies pending migrations up to `target` (all when omitted); when `target` is
   * already applied, rolls back the migrations after it. Returns the names run.
   */
  async migrate(target?: string): Promise<string[]> {
    const all = await this.load()
    if (target !== undefined && target !== "zero" && !all.some((m) => m.name === target)) {
      throw ormErrors.MIGRATION_UNKNOWN({
        name: target,
        known: all.map((m) => m.name).join(", ") || "none",
      })
    }
    const ran = await this.#locked(async (ex) => {
      const done = await this.#applied(ex)
      const end =
        target === undefined
          ? all.length
          : target === "zero"
            ? 0
            : all.findIndex((m) => m.name === target) + 1
      const ran: string[] = []
      for (let i = all.length - 1; i >= end; i--) {
        const m = all[i] as LoadedMigration
        if (!done.has(m.name)) continue
        await this.#run(ex, all, i, true)
        ran.push(m.name)
      }
      for (let i = 0; i < end; i++) {
        const m = all[i] as LoadedMigration
        if (done.has(m.name)) continue
        await this.#run(ex, all, i, false)
        ran.push(m.name)
      }
      if (ran.length === 0) this.#log("No migrations to apply.")
      return ran
    })
    const state = Migrator.replay(all, await this.#appliedCount(all))
    await runPostMigrate(this.#db, { ran, tables: new Set(Object.keys(state)) })
    return ran
  }

  /** How many of `all`, in order, are applied now. */
  async #appliedCount(all: readonly LoadedMigration[]): Promise<number> {
    const done = await this.#applied(this.#db)
    let n = 0
    while (n < all.length && done.has((all[n] as LoadedMigration).name)) n++
    return n
  }

  /** Rolls back the last `steps` applied migrations. Returns the names rolled back. */
  async rollback(steps = 1): Promise<string[]> {
    const all = await this.load()
    const done = await this.#applied(this.#db)
    const applied = all.filter((m) => done.has(m.name))
    const keep = applied[applied.length - 1 - steps]
    return this.migrate(keep ? keep.name : "zero")
  }

  async #run(
    ex: Executor,
    all: readonly LoadedMigration[],
    i: number,
    backward: boolean,
  ): Promise<void> {
    const { name, migration } = all[i] as LoadedMigration
    const d = ex.dialect
    const q = d.quote
    this.#log(`${backward ? "Unapplying" : "Applying"} ${name}…`)
    const atomic = migration.atomic !== false && d.transactionalDdl
    const guard = d.migrationGuard
    if (guard) await ex.run(guard.before, [])
    try {
      if (atomic) await ex.run("BEGIN", [])
      try {
        for (const [state, o] of plan(Migrator.replay(all, i), migration.operations, backward)) {
          if (o.op === "runJs") {
            this.#log("  (runJs)")
            await o.forward(ex)
            continue
          }
          for (const statement of operationSql(d, state, o)) {
            this.#log(`  ${statement}`)
            await ex.run(statement, [])
          }
        }
        if (guard) {
          const { rows } = await ex.run(guard.danglingForeignKeys, [])
          if (rows.length > 0)
            throw ormErrors.INVALID_QUERY({
              reason: `migration ${name} leaves rows whose foreign keys point nowhere (${JSON.stringify(rows[0])})`,
            })
        }
        if (backward)
          await ex.run(`DELETE FROM ${q(HISTORY)} WHERE ${q("name")} = ${d.placeholder(1)}`, [name])
        else
          await ex.run(
            `INSERT INTO ${q(HISTORY)} (${q("name")}, ${q("applied_at")}) VALUES (${d.placeholder(1)}, ${d.placeholder(2)})`,
            [name, new Date().toISOString()],
          )
        if (atomic) await ex.run("COMMIT", [])
      } catch (err) {
        if (atomic) await ex.run("ROLLBACK", [])
        throw err
      }
    } finally {
      if (guard) await ex.run(guard.after, [])
    }
    this.#log(`${backward ? "Unapplied" : "Applied"} ${name}.`)
  }

  async #locked<T>(fn: (ex: Executor) => Promise<T>): Promise<T> {
    return this.#db.pin(async (conn) => {
      const ex = new Transaction(conn, this.#db.dialect, 1)
      await this.#lock(ex)
      try {
        return await fn(ex)
      } finally {
        await this.#unlock(ex)
      }
    })
  }

  async #lock(ex: Executor): Promise<void> {
    const lock = ex.dialect.migrationLock(LOCK)
    const deadline = Date.now() + this.#lockTimeout
    if (lock.setup) await ex.run(lock.setup, [])
    for (;;) {
      if (lock.acquired(await ex.run(lock.tryLock, lock.tryLockParams()))) return
      if (Date.now() > deadline) throw ormErrors.MIGRATION_LOCKED()
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async #unlock(ex: Executor): Promise<void> {
    await ex.run(ex.dialect.migrationLock(LOCK).release, [])
  }

  /** The operations that would bring the migration history up to the models. */
  async changes(models: readonly AnyModel[], options: RenameOptions = {}): Promise<Operation[]> {
    return diffStates(Migrator.replay(await this.load()), modelsState(models), options)
  }

  /** Writes a new migration for the model changes; undefined when there is none. */
  async makeMigrations(
    models: readonly AnyModel[],
    options: RenameOptions & { name?: string } = {},
  ): Promise<{ name: string; path: string; operations: Operation[] } | undefined> {
    const all = await this.load()
    const operations = diffStates(Migrator.replay(all), modelsState(models), options)
    if (operations.length === 0) return undefined
    const last = all[all.length - 1]
    const number = String(all.length + 1).padStart(4, "0")
    const name = `${number}_${options.name ?? migrationSuffix(operations, all.length === 0)}`
    const path = join(this.#dir, `${name}.ts`)
    await mkdir(this.#dir, { recursive: true })
    await writeFile(path, migrationSource(last ? [last.name] : [], operations))
    return { name, path, operations }
  }
}

/** Pairs each operation with the state before it, forwards or (reversed) backwards. */
function plan(
  before: SchemaState,
  ops: readonly Operation[],
  backward: boolean,
): [SchemaState, Operation][] {
  const steps: [SchemaState, Operation][] = []
  let state = before
  for (const o of ops) {
    steps.push([state, o])
    state = applyOperation(state, o)
  }
  if (!backward) return steps
  // Tables this migration creates are dropped whole on the way back, and so are the
  // columns it adds, with their indexes: those need no DROP INDEX first (MySQL even
  // refuses it for the index of a foreign key, which DROP COLUMN removes with the key).
  // Each step's SQL is built from the state the steps before it leave, so a DROP
  // COLUMN knows the indexes still on its column.
  const created = new Set(ops.flatMap((o) => (o.op === "createTable" ? [o.table] : [])))
  const added = new Set(
    ops.flatMap((o) => (o.op === "addColumn" ? [`${o.table}.${o.column.name}`] : [])),
  )
  const dropsWithColumn = (table: string, name: string) =>
    state[table]?.indexes
      .find((ix) => ix.name === name)
      ?.columns.some((c) => added.has(`${table}.${c}`)) === true
  const out: [SchemaState, Operation][] = []
  for (const [s, o] of steps.reverse()) {
    for (const r of reverseOperation(s, o)) {
      if (r.op === "dropIndex" && (created.has(r.table) || dropsWithColumn(r.table, r.name)))
        continue
      out.push([state, r])
      state = applyOperation(state, r)
    }
  }
  return out
}

/**
 * Creates the tables of `models` directly (no migration files): for tests and scripts.
 *
 * @example
 * ```ts
 * import { connect, createTables, field, model } from "truss/orm"
 * const Tag = model("tag", { name: field.string() })
 * const db = await connect("sqlite::memory:")
 * await createTables(db, [Tag])
 * ```
 */
export async function createTables(ex: Executor, models: readonly AnyModel[]): Promise<void> {
  let state: SchemaState = {}
  for (const o of diffStates({}, modelsState(models))) {
    for (const s of operationSql(ex.dialect, state, o)) await ex.run(s, [])
    state = applyOperation(state, o)
  }
}
