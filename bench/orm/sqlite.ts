/**
 * SQLite contenders: better-sqlite3 with prepared statements, Kysely, Drizzle, Truss.
 * @module
 */
import { createRequire } from "node:module"
import { eq } from "drizzle-orm"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { Kysely, SqliteDialect } from "kysely"
import { connect, type Database } from "../../src/orm/index.js"
import type { Contender } from "./harness.js"
import { Article, type KyselyDb, sqliteArticles, sqliteUsers, User } from "./schema.js"

interface Statement {
  get(...params: unknown[]): unknown
  all(...params: unknown[]): unknown[]
  run(...params: unknown[]): unknown
}
interface SqliteDb {
  prepare(sql: string): Statement
  pragma(source: string): unknown
  close(): void
}
// better-sqlite3 ships no types; this is the slice the benchmark uses.
const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => SqliteDb

const JOIN =
  'SELECT a.id, a.title, a.views, a.author_id, u.id AS "author.id", u.username AS "author.username", u.karma AS "author.karma" FROM article a INNER JOIN "user" u ON u.id = a.author_id LIMIT 20'

function bulkSql(n: number): string {
  return `INSERT INTO "user" (username, karma) VALUES ${Array.from({ length: n }, () => "(?, ?)").join(", ")} RETURNING id, username, karma`
}

function raw(file: string): Contender {
  const db = new Sqlite(file)
  // The same connection settings as Truss's connect().
  db.pragma("foreign_keys = ON")
  db.pragma("journal_mode = WAL")
  const get = db.prepare('SELECT id, username, karma FROM "user" WHERE id = ?')
  const join = db.prepare(JOIN)
  const insert = db.prepare(
    'INSERT INTO "user" (username, karma) VALUES (?, ?) RETURNING id, username, karma',
  )
  const bulk = db.prepare(bulkSql(1000))
  const update = db.prepare('UPDATE "user" SET karma = ? WHERE id = ?')
  return {
    name: "raw better-sqlite3",
    getByPk: async (id) => get.get(id),
    join20: async () => join.all(),
    // all(), not get(): get() never steps an INSERT … RETURNING to SQLITE_DONE, so SQLite
    // never runs its WAL auto-checkpoint (the WAL grew to 165 MB over 20,000 inserts)
    // and raw skipped the checkpoint cost that Truss (which steps to the end) pays.
    insertOne: async (i) => insert.all(`r${i}`, 0)[0],
    bulkInsert: async (rows) => bulk.all(rows.flatMap((r) => [r.username, r.karma])),
    updateOne: async (id, karma) => update.run(karma, id),
    close: async () => db.close(),
    settle: async () => {
      db.pragma("wal_checkpoint(TRUNCATE)")
    },
  }
}

function kysely(file: string): Contender {
  const database = new Sqlite(file) as unknown as ConstructorParameters<
    typeof SqliteDialect
  >[0]["database"]
  const k = new Kysely<KyselyDb>({ dialect: new SqliteDialect({ database }) })
  return {
    name: "Kysely",
    getByPk: (id) => k.selectFrom("user").selectAll().where("id", "=", id).executeTakeFirst(),
    join20: () =>
      k
        .selectFrom("article")
        .innerJoin("user", "user.id", "article.author_id")
        .select([
          "article.id",
          "article.title",
          "article.views",
          "article.author_id",
          "user.username",
          "user.karma",
        ])
        .limit(20)
        .execute(),
    insertOne: (i) =>
      k
        .insertInto("user")
        .values({ username: `k${i}`, karma: 0 })
        .returningAll()
        .executeTakeFirst(),
    bulkInsert: (rows) =>
      k
        .insertInto("user")
        .values([...rows])
        .returningAll()
        .execute(),
    updateOne: (id, karma) => k.updateTable("user").set({ karma }).where("id", "=", id).execute(),
    close: () => k.destroy(),
  }
}

function drizzleSqlite(file: string): Contender {
  const client = new Sqlite(file)
  const d = drizzle(client as unknown as Parameters<typeof drizzle>[0] & object)
  return {
    name: "Drizzle",
    getByPk: async (id) => d.select().from(sqliteUsers).where(eq(sqliteUsers.id, id)).get(),
    join20: async () =>
      d
        .select()
        .from(sqliteArticles)
        .innerJoin(sqliteUsers, eq(sqliteUsers.id, sqliteArticles.authorId))
        .limit(20)
        .all(),
    insertOne: async (i) =>
      d
        .insert(sqliteUsers)
        .values({ username: `d${i}`, karma: 0 })
        .returning()
        .get(),
    bulkInsert: async (rows) =>
      d
        .insert(sqliteUsers)
        .values([...rows])
        .returning()
        .all(),
    updateOne: async (id, karma) =>
      d.update(sqliteUsers).set({ karma }).where(eq(sqliteUsers.id, id)).run(),
    close: async () => client.close(),
  }
}

function truss(db: Database): Contender {
  return {
    name: "Truss ORM",
    getByPk: (id) => db.query(User).get({ id }),
    join20: () => db.query(Article).selectRelated("author").limit(20).all(),
    insertOne: (i) => db.query(User).create({ username: `t${i}`, karma: 0 }),
    bulkInsert: (rows) => db.query(User).bulkCreate(rows, { batchSize: 1000 }),
    updateOne: (id, karma) => db.query(User).filter({ id }).update({ karma }),
    close: () => db.close(),
  }
}

/** Opens the four SQLite contenders on one database file (raw first: the baseline). */
export async function sqliteContenders(file: string): Promise<Contender[]> {
  const db = await connect(`sqlite:${file}`)
  return [raw(file), kysely(file), drizzleSqlite(file), truss(db)]
}

export { raw, truss }
