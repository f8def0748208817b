import { randomBytes } from "node:crypto"
import { Blueprint, type Context, HttpError } from "truss"
import type { Database } from "truss/orm"
import { z } from "zod"
import { me, required, type Vars } from "./auth.js"
import { Article, Comment, Favorite, Tag } from "./models.js"
import { articles, comment, followed, present } from "./present.js"
import * as s from "./schemas.js"

const TOKEN = [{ Token: [] }]
const NoContent = { 204: z.null(), ...s.authErrors }
const tags = (name: string) => ({ tags: [name] })
const gone = (what: string) => new HttpError(404, `${what} not found`, { code: "CONDUIT_NOT_FOUND" })
const notYours = (what: string) => new HttpError(403, `this ${what} is not yours`, { code: "CONDUIT_FORBIDDEN" })

/** A URL slug from a title: `"How to Train Your Dragon!"` → `"how-to-train-your-dragon"`. */
export function slugify(title: string): string {
  const ascii = title.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
  return ascii.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 240) || "article"
}

/** Articles, favorites, comments and tags under `/api`. */
export function articlesApi(db: Database) {
  const find = async (slug: string) => (await db.query(Article).filter({ slug }).first()) ?? Promise.reject(gone("article"))
  const own = async (c: Context<Vars>, slug: string) => {
    const row = await find(slug)
    if (row.authorId !== me(c)) throw notYours("article")
    return row
  }
  const show = async (c: Context<Vars>, slug: string, status: 200 | 201 = 200) => {
    const [article] = await present(db, await articles(db).filter({ slug }).all(), c.get("userId"))
    if (article === undefined) throw gone("article")
    return c.json({ article }, status)
  }
  const freeSlug = async (title: string, id = 0) => {
    const slug = slugify(title)
    const taken = await db.query(Article).filter({ slug }).exclude({ id }).exists()
    return taken ? `${slug}-${randomBytes(4).toString("hex")}` : slug
  }
  const setTags = (articleId: number, names: string[]) =>
    db.transaction(async (tx) => {
      const wanted = [...new Set(names.map((n) => n.trim()).filter((n) => n !== ""))]
      const known = await tx.query(Tag).filter({ name: { in: wanted } }).all()
      const missing = wanted.filter((n) => !known.some((t) => t.name === n)).map((name) => ({ name }))
      const created = missing.length > 0 ? await tx.query(Tag).bulkCreate(missing) : []
      await tx.query(Article).related(articleId, "tags").set([...known, ...created])
    })
  const favorite = async (c: Context<Vars>, slug: string, on: boolean) => {
    const pair = { userId: me(c), articleId: (await find(slug)).id }
    if (on) await db.query(Favorite).getOrCreate(pair, {})
    else await db.query(Favorite).filter(pair).delete()
    return show(c, slug)
  }
  const page = async (c: Context<Vars>, filter: Parameters<ReturnType<typeof articles>["filter"]>[0], offset = 0, limit = 20) => {
    const qs = articles(db).filter(filter)
    const [rows, articlesCount] = await Promise.all([qs.offset(offset).limit(limit).all(), qs.count()])
    return c.json({ articles: await present(db, rows, c.get("userId")), articlesCount }, 200)
  }

  return new Blueprint<Vars, "/api">({ prefix: "/api" })
    .get("/articles/feed", { operationId: "GetArticlesFeed", ...tags("Articles"), security: TOKEN, query: s.Page, response: { 200: s.MultipleArticlesResponse, ...s.authErrors } }, required, (c) => {
      const { offset, limit } = c.valid("query")
      return page(c, { author: { followers: { followerId: me(c) } } }, offset, limit)
    })
    .get("/articles", { operationId: "GetArticles", ...tags("Articles"), query: s.ArticleFilters, response: { 200: s.MultipleArticlesResponse, ...s.authErrors } }, (c) => {
      const { tag, author, favorited, offset, limit } = c.valid("query")
      const filter = {
        ...(tag === undefined ? {} : { tags: { name: tag } }),
        ...(author === undefined ? {} : { author: { username: author } }),
        ...(favorited === undefined ? {} : { favorites: { user: { username: favorited } } }),
      }
      return page(c, filter, offset, limit)
    })
    .post("/articles", { operationId: "CreateArticle", ...tags("Articles"), security: TOKEN, body: s.NewArticleRequest, response: { 201: s.SingleArticleResponse, ...s.authErrors } }, required, async (c) => {
      const { tagList, ...fields } = c.valid("body").article
      const row = await db.query(Article).create({ ...fields, slug: await freeSlug(fields.title), authorId: me(c) })
      if (tagList !== undefined) await setTags(row.id, tagList)
      return show(c, row.slug, 201)
    })
    .get("/articles/:slug", { operationId: "GetArticle", ...tags("Articles"), params: s.Slug, response: { 200: s.SingleArticleResponse, ...s.errors } }, (c) =>
      show(c, c.valid("params").slug),
    )
    .put("/articles/:slug", { operationId: "UpdateArticle", ...tags("Articles"), security: TOKEN, params: s.Slug, body: s.UpdateArticleRequest, response: { 200: s.SingleArticleResponse, ...s.authErrors } }, required, async (c) => {
      const row = await own(c, c.valid("params").slug)
      const changes = c.valid("body").article
      const slug = changes.title === undefined ? row.slug : await freeSlug(changes.title, row.id)
      await db.query(Article).filter({ id: row.id }).update({ ...changes, slug, updatedAt: new Date() })
      return show(c, slug)
    })
    .delete("/articles/:slug", { operationId: "DeleteArticle", ...tags("Articles"), security: TOKEN, params: s.Slug, response: NoContent }, required, async (c) => {
      await db.query(Article).filter({ id: (await own(c, c.valid("params").slug)).id }).delete()
      return new Response(null, { status: 204 })
    })
    .get("/articles/:slug/comments", { operationId: "GetArticleComments", ...tags("Comments"), params: s.Slug, response: { 200: s.MultipleCommentsResponse, ...s.authErrors } }, async (c) => {
      const { id } = await find(c.valid("params").slug)
      const rows = await db.query(Comment).filter({ articleId: id }).selectRelated("author").all()
      const following = await followed(db, c.get("userId"), [...new Set(rows.map((r) => r.authorId))])
      return c.json({ comments: rows.map((r) => comment(r, following.has(r.authorId))) }, 200)
    })
    .post("/articles/:slug/comments", { operationId: "CreateArticleComment", ...tags("Comments"), security: TOKEN, params: s.Slug, body: s.NewCommentRequest, response: { 200: s.SingleCommentResponse, ...s.authErrors } }, required, async (c) => {
      const { id } = await find(c.valid("params").slug)
      const row = await db.query(Comment).create({ body: c.valid("body").comment.body, articleId: id, authorId: me(c) })
      const author = await db.query(Comment).filter({ id: row.id }).selectRelated("author").get()
      return c.json({ comment: comment(author, false) }, 200)
    })
    .delete("/articles/:slug/comments/:id", { operationId: "DeleteArticleComment", ...tags("Comments"), security: TOKEN, params: s.CommentId, response: NoContent }, required, async (c) => {
      const { slug, id } = c.valid("params")
      const row = await db.query(Comment).filter({ id, article: { slug } }).first()
      if (row === undefined) throw gone("comment")
      if (row.authorId !== me(c)) throw notYours("comment")
      await db.query(Comment).filter({ id }).delete()
      return new Response(null, { status: 204 })
    })
    .post("/articles/:slug/favorite", { operationId: "CreateArticleFavorite", ...tags("Favorites"), security: TOKEN, params: s.Slug, response: { 200: s.SingleArticleResponse, ...s.authErrors } }, required, (c) =>
      favorite(c, c.valid("params").slug, true),
    )
    .delete("/articles/:slug/favorite", { operationId: "DeleteArticleFavorite", ...tags("Favorites"), security: TOKEN, params: s.Slug, response: { 200: s.SingleArticleResponse, ...s.authErrors } }, required, (c) =>
      favorite(c, c.valid("params").slug, false),
    )
    .get("/tags", { operationId: "GetTags", ...tags("Tags"), response: { 200: s.TagsResponse, ...s.errors } }, async (c) =>
      c.json({ tags: (await db.query(Tag).values("name").all()).map((t) => t.name) }, 200),
    )
}
