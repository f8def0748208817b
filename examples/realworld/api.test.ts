import { createClient } from "truss/client"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { testDatabases } from "../../test/support/databases.js"
import { openDatabase } from "./database.js"
import { Article } from "./models.js"
import { type Conduit, testConduit } from "./test-app.js"

const targets = (await testDatabases()).filter((t) =>
  ["sqlite", "postgres", "mariadb"].includes(t.name),
)
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/
const err = (...body: string[]) => ({ errors: { body } })
const profile = (username: string, following = false) => ({
  username,
  bio: "",
  image: "",
  following,
})

// Debug mode checks every response against its schema; production serializes with
// fast-json-stringify. Both must answer the same.
const modes = [
  { debug: true, name: "debug" },
  { debug: false, name: "production" },
]

for (const target of targets) {
  for (const mode of modes) {
    describe.skipIf(!target.available)(`Conduit on ${target.name} (${mode.name})`, () => {
      let opened: Awaited<ReturnType<typeof target.open>>
      let app: Conduit
      let db: Awaited<ReturnType<typeof testConduit>>["db"]
      beforeAll(async () => {
        opened = await target.open()
        ;({ app, db } = await testConduit(opened.db, mode.debug))
      })
      afterAll(() => opened?.drop())

      const anon = () => createClient<Conduit>(app)
      const as = (token: string) =>
        createClient<Conduit>(app, { headers: { authorization: `Token ${token}` } })
      const signUp = async (username: string) => {
        const res = await anon().post("/api/users", {
          body: {
            user: { username, email: `${username}@example.com`, password: `${username}-password` },
          },
        })
        if (res.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(res.data)}`)
        return as(res.data.user.token)
      }
      /** The stored timestamps of an article, as the API writes them. */
      const times = async (slug: string) => {
        const row = await db.query(Article).get({ slug })
        return { createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() }
      }

      describe("users and authentication", () => {
        it("registers a user (201) with a token that authenticates GET /api/user", async () => {
          const res = await anon().post("/api/users", {
            body: { user: { username: "jake", email: "jake@jake.jake", password: "jakejake" } },
          })
          expect(res.status).toBe(201)
          if (res.status !== 201) return
          const { token, ...user } = res.data.user
          expect(user).toEqual({ email: "jake@jake.jake", username: "jake", bio: "", image: "" })
          expect(token).toMatch(JWT)
          const me = await as(token).get("/api/user")
          expect({ status: me.status, data: me.data }).toEqual({
            status: 200,
            data: { user: { ...user, token } },
          })
        })

        it("refuses missing fields and a duplicate username or email with 422", async () => {
          const missing = await anon().post("/api/users", {
            body: { user: { username: "", email: "x@example.com" } } as never,
          })
          expect({ status: missing.status, data: missing.data }).toEqual({
            status: 422,
            data: err("username can't be blank", "password can't be blank"),
          })
          const noUser = await anon().post("/api/users", { body: {} as never })
          expect({ status: noUser.status, data: noUser.data }).toEqual({
            status: 422,
            data: err("user can't be blank"),
          })
          const sameName = await anon().post("/api/users", {
            body: { user: { username: "jake", email: "other@jake.jake", password: "p" } },
          })
          expect({ status: sameName.status, data: sameName.data }).toEqual({
            status: 422,
            data: err("username has already been taken"),
          })
          const sameEmail = await anon().post("/api/users", {
            body: { user: { username: "jake2", email: " Jake@JAKE.jake", password: "p" } },
          })
          expect({ status: sameEmail.status, data: sameEmail.data }).toEqual({
            status: 422,
            data: err("email has already been taken"),
          })
          const badEmail = await anon().post("/api/users", {
            body: { user: { username: "jake3", email: "not-an-email", password: "p" } },
          })
          expect({ status: badEmail.status, data: badEmail.data }).toEqual({
            status: 422,
            data: err("email is invalid"),
          })
        })

        it("logs in with the right password (200) and answers 401 to a wrong one or an unknown email", async () => {
          const ok = await anon().post("/api/users/login", {
            body: { user: { email: "JAKE@jake.jake", password: "jakejake" } },
          })
          expect(ok.status).toBe(200)
          if (ok.status === 200) expect(ok.data.user.username).toBe("jake")
          for (const user of [
            { email: "jake@jake.jake", password: "wrong" },
            { email: "nobody@jake.jake", password: "jakejake" },
          ]) {
            const res = await anon().post("/api/users/login", { body: { user } })
            expect({ status: res.status, data: res.data }).toEqual({
              status: 401,
              data: err("email or password is invalid"),
            })
          }
          const blank = await anon().post("/api/users/login", {
            body: { user: { email: "jake@jake.jake" } } as never,
          })
          expect({ status: blank.status, data: blank.data }).toEqual({
            status: 422,
            data: err("password can't be blank"),
          })
        })

        it("answers 401 without a token, with a bad token or with another scheme, before validating", async () => {
          const none = await anon().put("/api/user", { body: {} as never })
          expect({ status: none.status, data: none.data }).toEqual({
            status: 401,
            data: err("Sign in: this needs Authorization: Token <jwt>"),
          })
          const forged = await as("a.b.c").get("/api/user")
          expect({ status: forged.status, data: forged.data }).toEqual({
            status: 401,
            data: err("The token is invalid or expired: sign in again"),
          })
          const basic = await anon().get("/api/user", {
            headers: { authorization: "Basic amFrZTpqYWtl" },
          })
          expect({ status: basic.status, data: basic.data }).toEqual({
            status: 401,
            data: err("Sign in: this needs Authorization: Token <jwt>"),
          })
        })

        it("treats a header without a JWT (a signed-out front end's `Token null`) as signed out", async () => {
          const res = await as("null").get("/api/tags")
          expect({ status: res.status, data: res.data }).toEqual({
            status: 200,
            data: { tags: [] },
          })
          const me = await as("undefined").get("/api/user")
          expect(me.status).toBe(401)
        })

        it("updates the current user, including the password", async () => {
          const amy = await signUp("amy")
          const res = await amy.put("/api/user", {
            body: {
              user: {
                bio: "I like to skateboard",
                image: "https://i.imgur.com/a.jpg",
                password: "new-password",
              },
            },
          })
          expect(res.status).toBe(200)
          if (res.status !== 200) return
          expect({ ...res.data.user, token: "" }).toEqual({
            email: "amy@example.com",
            username: "amy",
            bio: "I like to skateboard",
            image: "https://i.imgur.com/a.jpg",
            token: "",
          })
          const old = await anon().post("/api/users/login", {
            body: { user: { email: "amy@example.com", password: "amy-password" } },
          })
          expect(old.status).toBe(401)
          const renewed = await anon().post("/api/users/login", {
            body: { user: { email: "amy@example.com", password: "new-password" } },
          })
          expect(renewed.status).toBe(200)
          // The settings form of a front end, sent whole with an empty password: kept.
          const profile = { email: "amy@example.com", username: "amy", bio: "", image: "" }
          const form = { ...profile, password: "" }
          const kept = await amy.put("/api/user", { body: { user: form } })
          expect(kept.status === 200 && { ...kept.data.user, token: "" }).toEqual({
            ...profile,
            token: "",
          })
          const still = await anon().post("/api/users/login", {
            body: { user: { email: "amy@example.com", password: "new-password" } },
          })
          expect(still.status).toBe(200)
          const taken = await amy.put("/api/user", { body: { user: { username: "jake" } } })
          expect({ status: taken.status, data: taken.data }).toEqual({
            status: 422,
            data: err("username has already been taken"),
          })
        })
      })

      describe("profiles", () => {
        it("shows, follows and unfollows a profile; 404 for an unknown username", async () => {
          const fan = await signUp("fan")
          await signUp("celeb")
          const seen = await fan.get("/api/profiles/:username", { params: { username: "celeb" } })
          expect({ status: seen.status, data: seen.data }).toEqual({
            status: 200,
            data: { profile: profile("celeb") },
          })
          const follow = await fan.post("/api/profiles/:username/follow", {
            params: { username: "celeb" },
          })
          expect({ status: follow.status, data: follow.data }).toEqual({
            status: 200,
            data: { profile: profile("celeb", true) },
          })
          const again = await fan.post("/api/profiles/:username/follow", {
            params: { username: "celeb" },
          })
          expect(again.data).toEqual({ profile: profile("celeb", true) })
          expect(
            (await fan.get("/api/profiles/:username", { params: { username: "celeb" } })).data,
          ).toEqual({ profile: profile("celeb", true) })
          expect(
            (await anon().get("/api/profiles/:username", { params: { username: "celeb" } })).data,
          ).toEqual({ profile: profile("celeb") })
          const unfollow = await fan.delete("/api/profiles/:username/follow", {
            params: { username: "celeb" },
          })
          expect({ status: unfollow.status, data: unfollow.data }).toEqual({
            status: 200,
            data: { profile: profile("celeb") },
          })
          const unknown = await fan.get("/api/profiles/:username", {
            params: { username: "nobody" },
          })
          expect({ status: unknown.status, data: unknown.data }).toEqual({
            status: 404,
            data: err("profile not found"),
          })
          const anonymous = await anon().post("/api/profiles/:username/follow", {
            params: { username: "celeb" },
          })
          expect(anonymous.status).toBe(401)
        })
      })

      describe("articles", () => {
        const dragon = {
          title: "How to train your dragon",
          description: "Ever wonder how?",
          body: "You have to believe",
          tagList: ["dragons", "training"],
        }

        it("creates (201), reads, updates and deletes an article; 404 for an unknown slug", async () => {
          const author = await signUp("author1")
          const created = await author.post("/api/articles", { body: { article: dragon } })
          expect(created.status).toBe(201)
          const slug = "how-to-train-your-dragon"
          const article = {
            slug,
            title: dragon.title,
            description: dragon.description,
            body: dragon.body,
            tagList: ["dragons", "training"],
            ...(await times(slug)),
            favorited: false,
            favoritesCount: 0,
            author: profile("author1"),
          }
          expect(created.data).toEqual({ article })
          const read = await anon().get("/api/articles/:slug", { params: { slug } })
          expect({ status: read.status, data: read.data }).toEqual({
            status: 200,
            data: { article },
          })
          const updated = await author.put("/api/articles/:slug", {
            params: { slug },
            body: { article: { title: "Did you train your dragon?", body: "With two hands" } },
          })
          expect(updated.status).toBe(200)
          const renamed = "did-you-train-your-dragon"
          expect(updated.data).toEqual({
            article: {
              ...article,
              slug: renamed,
              title: "Did you train your dragon?",
              body: "With two hands",
              ...(await times(renamed)),
            },
          })
          expect((await anon().get("/api/articles/:slug", { params: { slug } })).status).toBe(404)
          const deleted = await author.delete("/api/articles/:slug", { params: { slug: renamed } })
          expect({ status: deleted.status, data: deleted.data }).toEqual({
            status: 204,
            data: null,
          })
          const gone = await anon().get("/api/articles/:slug", { params: { slug: renamed } })
          expect({ status: gone.status, data: gone.data }).toEqual({
            status: 404,
            data: err("article not found"),
          })
        })

        it("gives a second article with the same title its own slug", async () => {
          const author = await signUp("author2")
          const first = await author.post("/api/articles", {
            body: { article: { ...dragon, title: "Same title" } },
          })
          const second = await author.post("/api/articles", {
            body: { article: { ...dragon, title: "Same title" } },
          })
          expect(first.status === 201 && first.data.article.slug).toBe("same-title")
          expect(second.status === 201 && second.data.article.slug).toMatch(
            /^same-title-[0-9a-f]{8}$/,
          )
        })

        it("refuses missing fields (422), anonymous writes (401) and another user's article (403)", async () => {
          const owner = await signUp("owner")
          const other = await signUp("other")
          const missing = await owner.post("/api/articles", {
            body: { article: { title: "t" } } as never,
          })
          expect({ status: missing.status, data: missing.data }).toEqual({
            status: 422,
            data: err("description can't be blank", "body can't be blank"),
          })
          const anonymous = await anon().post("/api/articles", { body: { article: dragon } })
          expect(anonymous.status).toBe(401)
          await owner.post("/api/articles", { body: { article: { ...dragon, title: "Mine" } } })
          const edit = await other.put("/api/articles/:slug", {
            params: { slug: "mine" },
            body: { article: { body: "hacked" } },
          })
          expect({ status: edit.status, data: edit.data }).toEqual({
            status: 403,
            data: err("this article is not yours"),
          })
          const remove = await other.delete("/api/articles/:slug", { params: { slug: "mine" } })
          expect({ status: remove.status, data: remove.data }).toEqual({
            status: 403,
            data: err("this article is not yours"),
          })
          const unknown = await owner.put("/api/articles/:slug", {
            params: { slug: "no-such-article" },
            body: { article: { body: "x" } },
          })
          expect({ status: unknown.status, data: unknown.data }).toEqual({
            status: 404,
            data: err("article not found"),
          })
        })

        it("favorites and unfavorites; counts every user's favorites", async () => {
          const writer = await signUp("writer")
          const [a, b] = [await signUp("reader1"), await signUp("reader2")]
          await writer.post("/api/articles", { body: { article: { ...dragon, title: "Liked" } } })
          const one = await a.post("/api/articles/:slug/favorite", { params: { slug: "liked" } })
          expect(
            one.status === 200 && [one.data.article.favorited, one.data.article.favoritesCount],
          ).toEqual([true, 1])
          const two = await b.post("/api/articles/:slug/favorite", { params: { slug: "liked" } })
          expect(
            two.status === 200 && [two.data.article.favorited, two.data.article.favoritesCount],
          ).toEqual([true, 2])
          const seen = await writer.get("/api/articles/:slug", { params: { slug: "liked" } })
          expect(
            seen.status === 200 && [seen.data.article.favorited, seen.data.article.favoritesCount],
          ).toEqual([false, 2])
          const undone = await a.delete("/api/articles/:slug/favorite", {
            params: { slug: "liked" },
          })
          expect(
            undone.status === 200 && [
              undone.data.article.favorited,
              undone.data.article.favoritesCount,
            ],
          ).toEqual([false, 1])
          const unknown = await a.post("/api/articles/:slug/favorite", { params: { slug: "nope" } })
          expect({ status: unknown.status, data: unknown.data }).toEqual({
            status: 404,
            data: err("article not found"),
          })
        })
      })

      describe("lists and the feed", () => {
        const slugs = (res: { status: number; data: unknown }) =>
          res.status === 200
            ? (res.data as { articles: { slug: string }[]; articlesCount: number })
            : undefined
        const summary = (res: { status: number; data: unknown }) => {
          const d = slugs(res)
          return d && { slugs: d.articles.map((x) => x.slug), articlesCount: d.articlesCount }
        }

        it("filters by author, tag and favorited, newest first, with limit and offset", async () => {
          const [lia, max] = [await signUp("lia"), await signUp("max")]
          for (const n of [1, 2, 3])
            await lia.post("/api/articles", {
              body: {
                article: {
                  title: `Lia ${n}`,
                  description: "d",
                  body: "b",
                  tagList: [`lia-tag`, `n${n}`],
                },
              },
            })
          await max.post("/api/articles", {
            body: { article: { title: "Max 1", description: "d", body: "b", tagList: ["n1"] } },
          })
          await max.post("/api/articles/:slug/favorite", { params: { slug: "lia-2" } })
          expect(summary(await anon().get("/api/articles", { query: { author: "lia" } }))).toEqual({
            slugs: ["lia-3", "lia-2", "lia-1"],
            articlesCount: 3,
          })
          expect(
            summary(
              await anon().get("/api/articles", { query: { author: "lia", limit: 2, offset: 1 } }),
            ),
          ).toEqual({ slugs: ["lia-2", "lia-1"], articlesCount: 3 })
          expect(summary(await anon().get("/api/articles", { query: { tag: "n1" } }))).toEqual({
            slugs: ["max-1", "lia-1"],
            articlesCount: 2,
          })
          expect(
            summary(await anon().get("/api/articles", { query: { favorited: "max" } })),
          ).toEqual({ slugs: ["lia-2"], articlesCount: 1 })
          expect(
            summary(await anon().get("/api/articles", { query: { tag: "n1", author: "max" } })),
          ).toEqual({ slugs: ["max-1"], articlesCount: 1 })
          const list = await max.get("/api/articles", {
            query: { author: "lia", limit: 1, offset: 1 },
          })
          expect(list.status === 200 && list.data.articles).toEqual([
            {
              slug: "lia-2",
              title: "Lia 2",
              description: "d",
              tagList: ["lia-tag", "n2"],
              ...(await times("lia-2")),
              favorited: true,
              favoritesCount: 1,
              author: profile("lia"),
            },
          ])
          const bad = await anon().get("/api/articles", { query: { limit: 0 } })
          expect(bad.status).toBe(422)
          const tags = await anon().get("/api/tags")
          expect(
            tags.status === 200 &&
              ["lia-tag", "n1", "n2", "n3"].every((t) => tags.data.tags.includes(t)),
          ).toBe(true)
        })

        it("feeds the articles of followed authors only, and needs a token", async () => {
          const [reader, followedAuthor, stranger] = [
            await signUp("feeder"),
            await signUp("followed"),
            await signUp("stranger"),
          ]
          await followedAuthor.post("/api/articles", {
            body: { article: { title: "Followed 1", description: "d", body: "b" } },
          })
          await stranger.post("/api/articles", {
            body: { article: { title: "Stranger 1", description: "d", body: "b" } },
          })
          await followedAuthor.post("/api/articles", {
            body: { article: { title: "Followed 2", description: "d", body: "b" } },
          })
          expect(summary(await reader.get("/api/articles/feed"))).toEqual({
            slugs: [],
            articlesCount: 0,
          })
          await reader.post("/api/profiles/:username/follow", { params: { username: "followed" } })
          expect(summary(await reader.get("/api/articles/feed"))).toEqual({
            slugs: ["followed-2", "followed-1"],
            articlesCount: 2,
          })
          expect(
            summary(await reader.get("/api/articles/feed", { query: { limit: 1, offset: 1 } })),
          ).toEqual({ slugs: ["followed-1"], articlesCount: 2 })
          const feed = await reader.get("/api/articles/feed", { query: { limit: 1 } })
          expect(feed.status === 200 && feed.data.articles[0]?.author).toEqual(
            profile("followed", true),
          )
          const anonymous = await anon().get("/api/articles/feed")
          expect(anonymous.status).toBe(401)
        })
      })

      describe("comments", () => {
        it("adds, lists and deletes comments; 403 for another user's, 404 for unknown ones", async () => {
          const [host, guest] = [await signUp("host"), await signUp("guest")]
          await host.post("/api/articles", {
            body: { article: { title: "Talk", description: "d", body: "b" } },
          })
          const added = await guest.post("/api/articles/:slug/comments", {
            params: { slug: "talk" },
            body: { comment: { body: "Thank you so much!" } },
          })
          expect(added.status).toBe(200)
          if (added.status !== 200) return
          const { id, createdAt, updatedAt } = added.data.comment
          expect(added.data).toEqual({
            comment: {
              id,
              createdAt,
              updatedAt,
              body: "Thank you so much!",
              author: profile("guest"),
            },
          })
          expect(createdAt).toBe(updatedAt)
          await host.post("/api/profiles/:username/follow", { params: { username: "guest" } })
          const listed = await host.get("/api/articles/:slug/comments", {
            params: { slug: "talk" },
          })
          expect({ status: listed.status, data: listed.data }).toEqual({
            status: 200,
            data: { comments: [{ ...added.data.comment, author: profile("guest", true) }] },
          })
          const blank = await guest.post("/api/articles/:slug/comments", {
            params: { slug: "talk" },
            body: { comment: { body: " " } },
          })
          expect({ status: blank.status, data: blank.data }).toEqual({
            status: 422,
            data: err("body can't be blank"),
          })
          const nowhere = await guest.post("/api/articles/:slug/comments", {
            params: { slug: "nope" },
            body: { comment: { body: "hi" } },
          })
          expect(nowhere.status).toBe(404)
          const stolen = await host.delete("/api/articles/:slug/comments/:id", {
            params: { slug: "talk", id },
          })
          expect({ status: stolen.status, data: stolen.data }).toEqual({
            status: 403,
            data: err("this comment is not yours"),
          })
          const removed = await guest.delete("/api/articles/:slug/comments/:id", {
            params: { slug: "talk", id },
          })
          expect(removed.status).toBe(204)
          const twice = await guest.delete("/api/articles/:slug/comments/:id", {
            params: { slug: "talk", id },
          })
          expect({ status: twice.status, data: twice.data }).toEqual({
            status: 404,
            data: err("comment not found"),
          })
          expect(
            (await anon().get("/api/articles/:slug/comments", { params: { slug: "talk" } })).data,
          ).toEqual({ comments: [] })
        })
      })
    })
  }
}

describe("a front end on another origin", () => {
  it("gets its preflight answered and the CORS header on every response", async () => {
    const { app } = await testConduit()
    const preflight = await app.request("/api/user", {
      method: "OPTIONS",
      headers: {
        origin: "http://localhost:4200",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "authorization,content-type",
      },
    })
    expect([preflight.status, preflight.headers.get("access-control-allow-headers")]).toEqual([
      204,
      "authorization,content-type",
    ])
    const res = await createClient<Conduit>(app).get("/api/tags", {
      headers: { origin: "http://localhost:4200" },
    })
    expect([res.status, res.data, res.headers.get("access-control-allow-origin")]).toEqual([
      200,
      { tags: [] },
      "*",
    ])
  })
})

describe("a server error", () => {
  it("is a 500 in the spec's error body that hides its message in production", async () => {
    const db = await openDatabase("sqlite::memory:")
    const { app } = await testConduit(db, false)
    await db.close() // every query now fails inside the ORM
    const res = await createClient<Conduit>(app).get("/api/tags")
    expect([res.status, res.data]).toEqual([500, { errors: { body: ["Internal server error"] } }])
  })
})
