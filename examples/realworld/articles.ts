import { randomBytes } from "node:crypto"
import { Blueprint, type Context, HttpError } from "truss"
import type { Database } from "truss/orm"
import { me, required, type Vars } from "./auth.js"
import { Article, Comment, Favorite, Tag } from "./models.js"
import { articles, comment, followed, present } from "./present.js"
import { authed, noContent, ok, op } from "./routes.js"
import * as s from "./schemas.js"

const gone = (what: string) =>
  new HttpError(404, `${what} not found`, { code: "CONDUIT_NOT_FOUND" })
const notYours = (what: string) =>
  new HttpError(403, `this ${what} is not yours`, { code: "CONDUIT_FORBIDDEN" })
function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .toLowerCase()
    .match(/[a-z0-9]+/g) ?? ["article"]
  return words.join("-").slice(0, 240)
}
type Filter = Parameters<ReturnType<typeof articles>["filter"]>[0]

const [A, C, F] = ["Articles", "Comments", "Favorites"]
const { Slug, SingleArticleResponse: One, MultipleArticlesResponse: Many } = s
const feed = authed("GetArticlesFeed", A, { query: s.Page, response: ok(Many) })
const list = op("GetArticles", A, { query: s.ArticleFilters, response: ok(Many) })
const create = authed("CreateArticle", A, { body: s.NewArticleRequest, response: ok(One, 201) })
const read = op("GetArticle", A, { params: Slug, response: { 200: One, ...s.errors } })
const update = authed("UpdateArticle", A, {
  params: Slug,
  body: s.UpdateArticleRequest,
  response: ok(One),
})
const remove = authed("DeleteArticle", A, { params: Slug, response: noContent })
const comments = op("GetArticleComments", C, {
  params: Slug,
  response: ok(s.MultipleCommentsResponse),
})
const addComment = authed("CreateArticleComment", C, {
  params: Slug,
  body: s.NewCommentRequest,
  response: ok(s.SingleCommentResponse),
})
const removeComment = authed("DeleteArticleComment", C, {
  params: s.CommentId,
  response: noContent,
})
const favor = authed("CreateArticleFavorite", F, { params: Slug, response: ok(One) })
const unfavor = authed("DeleteArticleFavorite", F, { params: Slug, response: ok(One) })
const tags = op("GetTags", "Tags", { response: { 200: s.TagsResponse, ...s.errors } })

/** Articles, the feed, favorites, comments and tags under `/api`. */
export function articlesApi(db: Database) {
  const find = async (slug: string) =>
    (await db.query(Article).filter({ slug }).first()) ?? Promise.reject(gone("article"))
  const own = async (c: Context<Vars>, slug: string) => {
    const row = await find(slug)
    if (row.authorId !== me(c)) throw notYours("article")
    return row
  }
  const show = async (c: Context<Vars>, slug: string, status: 200 | 201 = 200) => {
    const [article] = await present(db, await articles(db).filter({ slug }).all(), c.get("userId"))
    return article === undefined ? Promise.reject(gone("article")) : c.json({ article }, status)
  }
  const freeSlug = async (title: string, id = 0) => {
    const slug = slugify(title)
    const taken = await db.query(Article).filter({ slug }).exclude({ id }).exists()
    return taken ? `${slug}-${randomBytes(4).toString("hex")}` : slug
  }
  const setTags = (id: number, names: string[]) =>
    db.transaction(async (tx) => {
      const wanted = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ""))]
      const rows = await Promise.all(wanted.map((name) => tx.query(Tag).getOrCreate({ name }, {})))
      await tx
        .query(Article)
        .related(id, "tags")
        .set(rows.map(([tag]) => tag))
    })
  const favorite = async (c: Context<Vars>, slug: string, on: boolean) => {
    const pair = { userId: me(c), articleId: (await find(slug)).id }
    await (on ? db.query(Favorite).getOrCreate(pair, {}) : db.query(Favorite).filter(pair).delete())
    return show(c, slug)
  }
  const page = async (c: Context<Vars>, filter: Filter, at: { offset?: number; limit: number }) => {
    const qs = articles(db).filter(filter)
    const rows = qs
      .offset(at.offset ?? 0)
      .limit(at.limit)
      .all()
    const [page, articlesCount] = await Promise.all([rows, qs.count()])
    return c.json({ articles: await present(db, page, c.get("userId")), articlesCount }, 200)
  }

  return new Blueprint<Vars, "/api">({ prefix: "/api" })
    .get("/articles/feed", feed, required, (c) =>
      page(c, { author: { followers: { followerId: me(c) } } }, c.valid("query")),
    )
    .get("/articles", list, (c) => {
      const { tag, author, favorited } = c.valid("query")
      const filter = {
        ...(tag === undefined ? {} : { tags: { name: tag } }),
        ...(author === undefined ? {} : { author: { username: author } }),
        ...(favorited === undefined ? {} : { favorites: { user: { username: favorited } } }),
      }
      return page(c, filter, c.valid("query"))
    })
    .post("/articles", create, required, async (c) => {
      const { tagList, ...fields } = c.valid("body").article
      const slug = await freeSlug(fields.title)
      const row = await db.query(Article).create({ ...fields, slug, authorId: me(c) })
      if (tagList !== undefined) await setTags(row.id, tagList)
      return show(c, row.slug, 201)
    })
    .get("/articles/:slug", read, (c) => show(c, c.valid("params").slug))
    .put("/articles/:slug", update, required, async (c) => {
      const row = await own(c, c.valid("params").slug)
      const changes = c.valid("body").article
      const slug = changes.title === undefined ? row.slug : await freeSlug(changes.title, row.id)
      await db
        .query(Article)
        .filter({ id: row.id })
        .update({ ...changes, slug, updatedAt: new Date() })
      return show(c, slug)
    })
    .delete("/articles/:slug", remove, required, async (c) => {
      await db
        .query(Article)
        .filter({ id: (await own(c, c.valid("params").slug)).id })
        .delete()
      return new Response(null, { status: 204 })
    })
    .get("/articles/:slug/comments", comments, async (c) => {
      const { id } = await find(c.valid("params").slug)
      const rows = await db.query(Comment).filter({ articleId: id }).selectRelated("author").all()
      const following = await followed(
        db,
        c.get("userId"),
        rows.map((r) => r.authorId),
      )
      return c.json({ comments: rows.map((r) => comment(r, following.has(r.authorId))) }, 200)
    })
    .post("/articles/:slug/comments", addComment, required, async (c) => {
      const { id } = await find(c.valid("params").slug)
      const body = c.valid("body").comment.body
      const row = await db.query(Comment).create({ body, articleId: id, authorId: me(c) })
      const stored = await db.query(Comment).filter({ id: row.id }).selectRelated("author").get()
      return c.json({ comment: comment(stored, false) }, 200)
    })
    .delete("/articles/:slug/comments/:id", removeComment, required, async (c) => {
      const { slug, id } = c.valid("params")
      const row = await db.query(Comment).filter({ id, article: { slug } }).first()
      if (row === undefined) throw gone("comment")
      if (row.authorId !== me(c)) throw notYours("comment")
      await db.query(Comment).filter({ id }).delete()
      return new Response(null, { status: 204 })
    })
    .post("/articles/:slug/favorite", favor, required, (c) =>
      favorite(c, c.valid("params").slug, true),
    )
    .delete("/articles/:slug/favorite", unfavor, required, (c) =>
      favorite(c, c.valid("params").slug, false),
    )
    .get("/tags", tags, async (c) => {
      const rows = await db.query(Tag).values("name").all()
      return c.json({ tags: rows.map((t) => t.name) }, 200)
    })
}
