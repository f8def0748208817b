/**
 * Admin page timings (not a timed test): a 10,000-row post table with a foreign-key
 * column, its list page (first page, and page 150 sorted by title) and a change form.
 * `npx tsx test/admin/bench-admin.ts [database-url]` (SQLite in memory by default; for
 * PostgreSQL pass `postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3Dtruss_admin_bench`,
 * the schema is created and dropped). Prints ms per request and queries per request.
 */
import { connect } from "../../src/orm/index.js"
import { Author, adminApp, loginAs, Post, seedUsers } from "./fixture.js"

const url = process.argv[2] ?? "sqlite::memory:"
let queries = 0
const { sql } = await import("../../src/orm/index.js")
const adminDb = url.startsWith("postgres")
  ? await connect("postgres://postgres@127.0.0.1:5432/test")
  : undefined
await adminDb?.execute(sql.raw("DROP SCHEMA IF EXISTS truss_admin_bench CASCADE"))
await adminDb?.execute(sql.raw("CREATE SCHEMA truss_admin_bench"))
const db = await connect(url, {
  onQuery: () => {
    queries++
  },
})
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
for (let i = 0; i < rows.length; i += 1000) await db.query(Post).bulkCreate(rows.slice(i, i + 1000))
const app = adminApp(db, { autocompleteAbove: 50 })
const c = await loginAs(app as never, "root@example.com")
async function time(path: string, n = 200) {
  for (let i = 0; i < 20; i++) await (await c.get(path)).text()
  queries = 0
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const r = await c.get(path)
    if (r.status !== 200) throw new Error(`${path} ${r.status}`)
    await r.text()
  }
  const ms = (performance.now() - t0) / n
  console.log(
    `${url.split(":")[0]} ${path}: ${ms.toFixed(2)} ms/request, ${(queries / n).toFixed(1)} queries/request`,
  )
}
await time("/admin/blog/post/")
await time("/admin/blog/post/?p=150&o=title")
await time("/admin/blog/post/5000/change")
await db.close()
await adminDb?.execute(sql.raw("DROP SCHEMA truss_admin_bench CASCADE"))
await adminDb?.close()
