/**
 * PostgreSQL contenders: pg, Kysely, Drizzle and Truss, each with its own pool.
 * @module
 */
import { eq } from "drizzle-orm"
import { drizzle } from "drizzle-orm/node-postgres"
import { Kysely, PostgresDialect } from "kysely"
import pg from "pg"
import { connect } from "../../src/orm/index.js"
import type { Contender } from "./harness.js"
import { type KyselyDb, pgArticles, pgUsers } from "./schema.js"
import { truss } from "./sqlite.js"

const JOIN =
  'SELECT a.id, a.title, a.views, a.author_id, u.id AS "author.id", u.username AS "author.username", u.karma AS "author.karma" FROM article a INNER JOIN "user" u ON u.id = a.author_id LIMIT 20'

function raw(url: string): Contender {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const values = Array.from({ length: 1000 }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(", ")
  const bulk = `INSERT INTO "user" (username, karma) VALUES ${values} RETURNING id, username, karma`
  return {
    name: "raw pg",
    getByPk: (id) => pool.query('SELECT id, username, karma FROM "user" WHERE id = $1', [id]),
    join20: () => pool.query(JOIN),
    insertOne: (i) =>
      pool.query(
        'INSERT INTO "user" (username, karma) VALUES ($1, $2) RETURNING id, username, karma',
        [`r${i}`, 0],
      ),
    bulkInsert: (rows) =>
      pool.query(
        bulk,
        rows.flatMap((r) => [r.username, r.karma]),
      ),
    updateOne: (id, karma) => pool.query('UPDATE "user" SET karma = $1 WHERE id = $2', [karma, id]),
    close: () => pool.end(),
  }
}

function kysely(url: string): Contender {
  const k = new Kysely<KyselyDb>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 10 }) }),
  })
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

function drizzlePg(url: string): Contender {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const d = drizzle(pool)
  return {
    name: "Drizzle",
    getByPk: (id) => d.select().from(pgUsers).where(eq(pgUsers.id, id)),
    join20: () =>
      d.select().from(pgArticles).innerJoin(pgUsers, eq(pgUsers.id, pgArticles.authorId)).limit(20),
    insertOne: (i) =>
      d
        .insert(pgUsers)
        .values({ username: `d${i}`, karma: 0 })
        .returning(),
    bulkInsert: (rows) =>
      d
        .insert(pgUsers)
        .values([...rows])
        .returning(),
    updateOne: (id, karma) => d.update(pgUsers).set({ karma }).where(eq(pgUsers.id, id)),
    close: () => pool.end(),
  }
}

/** Opens the four PostgreSQL contenders on one database (raw first: the baseline). */
export async function postgresContenders(url: string): Promise<Contender[]> {
  return [raw(url), kysely(url), drizzlePg(url), truss(await connect(url))]
}
