import { createClient } from "truss/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testDatabases } from "../../test/support/databases.js"
import { type Conduit, testConduit } from "./test-app.js"

const targets = (await testDatabases()).filter((t) =>
  ["sqlite", "postgres", "mariadb"].includes(t.name),
)

for (const target of targets) {
  describe.skipIf(!target.available)(`queries per list page on ${target.name}`, () => {
    let sql: string[] = []
    let opened: Awaited<ReturnType<typeof target.open>>
    let app: Conduit
    let reader: ReturnType<typeof createClient<Conduit>>
    beforeAll(async () => {
      opened = await target.open({ onQuery: (q) => sql.push(q.sql) })
      // Production mode: responses go through fast-json-stringify, as under load.
      ;({ app } = await testConduit(opened.db, false))
      const anon = createClient<Conduit>(app)
      const tokens: string[] = []
      for (const username of ["reader", "a1", "a2", "a3", "a4"]) {
        const email = `${username}@example.com`
        const res = await anon.post("/api/users", {
          body: { user: { username, email, password: "pw" } },
        })
        if (res.status === 201) tokens.push(res.data.user.token)
      }
      const [me, ...authors] = tokens.map((t) =>
        createClient<Conduit>(app, { headers: { authorization: `Token ${t}` } }),
      )
      reader = me!
      for (const [i, author] of authors.entries()) {
        for (let n = 0; n < 6; n++) {
          const article = {
            title: `A${i} ${n}`,
            description: "d",
            body: "b",
            tagList: [`t${n}`, `a${i}`, "all"],
          }
          await author.post("/api/articles", { body: { article } })
          for (const fan of [reader, ...authors].slice(0, n % 4)) {
            await fan.post("/api/articles/:slug/favorite", { params: { slug: `a${i}-${n}` } })
          }
        }
        if (i < 3)
          await reader.post("/api/profiles/:username/follow", { params: { username: `a${i + 1}` } })
      }
    })
    afterAll(() => opened?.drop())

    const queries = async (call: () => Promise<{ status: number; data: unknown }>) => {
      sql = []
      const res = await call()
      const page = res.data as { articles: { favoritesCount: number; tagList: string[] }[] }
      return { status: res.status, articles: page.articles.length, queries: sql.length }
    }

    it("lists 20 articles with authors, tags and favorite counts in 4 queries signed out, 6 signed in", async () => {
      const anon = createClient<Conduit>(app)
      expect(await queries(() => anon.get("/api/articles", { query: { limit: 20 } }))).toEqual({
        status: 200,
        articles: 20,
        queries: 4,
      })
      expect(await queries(() => anon.get("/api/articles", { query: { limit: 5 } }))).toEqual({
        status: 200,
        articles: 5,
        queries: 4,
      })
      expect(await queries(() => reader.get("/api/articles", { query: { limit: 20 } }))).toEqual({
        status: 200,
        articles: 20,
        queries: 6,
      })
      expect(
        await queries(() =>
          reader.get("/api/articles", { query: { tag: "all", limit: 20, offset: 4 } }),
        ),
      ).toEqual({ status: 200, articles: 20, queries: 6 })
    })

    it("serves the feed of 18 followed articles in 6 queries", async () => {
      expect(
        await queries(() => reader.get("/api/articles/feed", { query: { limit: 20 } })),
      ).toEqual({ status: 200, articles: 18, queries: 6 })
    })

    it("counts every user's favorites and marks the reader's own", async () => {
      const res = await reader.get("/api/articles", { query: { author: "a1" } })
      expect(
        res.status === 200 &&
          res.data.articles.map((a) => [a.slug, a.favoritesCount, a.favorited, a.tagList]),
      ).toEqual([
        ["a0-5", 1, true, ["a0", "all", "t5"]],
        ["a0-4", 0, false, ["a0", "all", "t4"]],
        ["a0-3", 3, true, ["a0", "all", "t3"]],
        ["a0-2", 2, true, ["a0", "all", "t2"]],
        ["a0-1", 1, true, ["a0", "all", "t1"]],
        ["a0-0", 0, false, ["a0", "all", "t0"]],
      ])
    })
  })
}
