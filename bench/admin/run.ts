/**
 * The admin benchmark (`npm run bench -- admin [--db sqlite,postgres] [--requests 200]`):
 * a 10,000-row post table with a foreign-key column, on SQLite (in memory) and on
 * PostgreSQL (an own schema, dropped after). Times its list page (first page, and page
 * 150 sorted by title) and a change form in-process, and counts the queries per request.
 * @module
 */
import { parseArgs } from "node:util"
import { connect, type Database, sql } from "../../src/orm/index.js"
import { Author, adminApp, loginAs, Post, seedUsers } from "../../test/admin/fixture.js"

const PG = "postgres://postgres@127.0.0.1:5432/test"
const SCHEMA = "truss_admin_bench"

async function seed(db: Database): Promise<void> {
  await seedUsers(db)
  const authors = await db
    .query(Author)
    .bulkCreate(
      Array.from({ length: 100 }, (_, i) => ({ name: `Author ${i}`, email: `a${i}@example.com` })),
    )
  const rows = Array.from({ length: 10_000 }, (_, i) => ({
    title: `Post ${i}`,
    slug: `post-${i}`,
    authorId: authors[i % 100]!.id,
    views: i,
  }))
  for (let i = 0; i < rows.length; i += 1000)
    await db.query(Post).bulkCreate(rows.slice(i, i + 1000))
}

async function measure(name: string, url: string, n: number): Promise<void> {
  let queries = 0
  const db = await connect(url, { onQuery: () => void queries++ })
  try {
    await seed(db)
    const client = await loginAs(
      adminApp(db, { autocompleteAbove: 50 }) as never,
      "root@example.com",
    )
    for (const path of [
      "/admin/blog/post/",
      "/admin/blog/post/?p=150&o=title",
      "/admin/blog/post/5000/change",
    ]) {
      for (let i = 0; i < 20; i++) await (await client.get(path)).text()
      queries = 0
      const t0 = performance.now()
      for (let i = 0; i < n; i++) {
        const res = await client.get(path)
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
        await res.text()
      }
      const ms = (performance.now() - t0) / n
      console.log(`| ${name} | \`${path}\` | ${ms.toFixed(2)} | ${(queries / n).toFixed(1)} |`)
    }
  } finally {
    await db.close()
  }
}

/** Runs the admin benchmark with CLI arguments. */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: "string", default: "sqlite,postgres" },
      requests: { type: "string", default: "200" },
    },
  })
  const n = Number(values.requests)
  console.log("| database | page | ms/request | queries/request |\n|---|---|---:|---:|")
  for (const name of values.db.split(",")) {
    if (name === "sqlite") await measure("SQLite", "sqlite::memory:", n)
    if (name !== "postgres") continue
    const admin = await connect(PG)
    await admin.execute(sql.raw(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`))
    await admin.execute(sql.raw(`CREATE SCHEMA ${SCHEMA}`))
    try {
      await measure("PostgreSQL", `${PG}?options=-c%20search_path%3D${SCHEMA}`, n)
    } finally {
      await admin.execute(sql.raw(`DROP SCHEMA ${SCHEMA} CASCADE`))
      await admin.close()
    }
  }
}
