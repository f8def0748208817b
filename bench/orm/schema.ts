/**
 * The benchmark schema for Truss, Kysely and Drizzle: users and their articles.
 * @module
 */
import {
  bigint as pgBigint,
  integer as pgInteger,
  pgTable,
  text as pgText,
} from "drizzle-orm/pg-core"
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"
import type { Generated } from "kysely"
import { createTables, type Database, field, model } from "../../src/orm/index.js"

export const User = model("user", {
  username: field.string({ max: 60 }),
  karma: field.integer({ default: 0 }),
})
export const Article = model("article", {
  title: field.string({ max: 100 }),
  views: field.integer({ default: 0 }),
  author: field.foreignKey(() => User),
})

/** Kysely's table types. */
export interface KyselyDb {
  user: { id: Generated<number>; username: string; karma: number }
  article: { id: Generated<number>; title: string; views: number; author_id: number }
}

export const sqliteUsers = sqliteTable("user", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  username: text("username").notNull(),
  karma: integer("karma").notNull(),
})
export const sqliteArticles = sqliteTable("article", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  title: text("title").notNull(),
  views: integer("views").notNull(),
  authorId: integer("author_id").notNull(),
})

export const pgUsers = pgTable("user", {
  id: pgBigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  username: pgText("username").notNull(),
  karma: pgInteger("karma").notNull(),
})
export const pgArticles = pgTable("article", {
  id: pgBigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
  title: pgText("title").notNull(),
  views: pgInteger("views").notNull(),
  authorId: pgBigint("author_id", { mode: "number" }).notNull(),
})

/** Seeds the tables every contender reads: 1,000 users and 2,000 articles. */
export async function seed(db: Database): Promise<void> {
  await createTables(db, [User, Article])
  const users = await db.query(User).bulkCreate(
    Array.from({ length: 1000 }, (_, i) => ({ username: `u${i}`, karma: i })),
    { batchSize: 1000 },
  )
  await db.query(Article).bulkCreate(
    Array.from({ length: 2000 }, (_, i) => ({
      title: `Article ${i}`,
      views: i,
      authorId: (users[i % 1000] as { id: number }).id,
    })),
    { batchSize: 1000 },
  )
}
