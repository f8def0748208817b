import { createTables, type Database } from "../../../src/orm/index.js"
import { Article, MODELS, Tag, User } from "./models.js"

export const CREATED = new Date("2024-03-01T10:20:30.123Z")

/** Creates the blog tables and three users, three articles and two tags. */
export async function seed(db: Database) {
  await createTables(db, MODELS)
  const users = db.query(User)
  const ann = await users.create({ username: "ann", karma: 10 })
  const bob = await users.create({ username: "bob", email: "bob@example.com", karma: 5 })
  const cy = await users.create({ username: "cy" })
  const articles = db.query(Article)
  const hello = await articles.create({
    title: "Hello World",
    slug: "hello",
    views: 10,
    rating: 4.5,
    price: "9.99",
    published: true,
    status: "live",
    meta: { lang: "en", tags: ["a", "b"] },
    day: "2024-01-02",
    createdAt: CREATED,
    authorId: ann.id,
  })
  const second = await articles.create({
    title: "Second post",
    slug: "second",
    views: 3,
    authorId: ann.id,
    editorId: bob.id,
    createdAt: CREATED,
  })
  const guide = await articles.create({
    title: "Bob's 100% guide_",
    slug: "bob-guide",
    views: 50,
    rating: 3,
    authorId: bob.id,
    createdAt: CREATED,
  })
  const ts = await db.query(Tag).create({ name: "ts" })
  const sql = await db.query(Tag).create({ name: "sql" })
  await db.query(Article).related(hello.id, "tags").add(ts, sql)
  await db.query(Article).related(guide.id, "tags").add(sql.id)
  return { ann, bob, cy, hello, second, guide, ts, sql }
}
