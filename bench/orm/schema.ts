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
import { field, model } from "../../src/orm/index.js"

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
