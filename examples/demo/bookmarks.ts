import { Blueprint, HttpError } from "truss"
import type { Database, Row } from "truss/orm"
import { z } from "zod"
import { BookmarkModel, TagModel } from "./models.js"

/** A saved link, as the API returns it. Named, so OpenAPI shows it once as a component. */
export const Bookmark = z
  .object({
    id: z.number().int(),
    url: z.url(),
    title: z.string(),
    tags: z.array(z.string()),
    createdAt: z.string(),
  })
  .meta({
    id: "Bookmark",
    examples: [
      {
        id: 1,
        url: "https://nodejs.org",
        title: "Node.js",
        tags: ["js"],
        createdAt: "2026-01-01T00:00:00.000Z",
      },
    ],
  })

/** An http(s) URL: `z.url()` alone also accepts `javascript:` and `data:` links. */
const WebUrl = z.url({ protocol: /^https?$/ })

/** What a client sends to create a bookmark. */
export const BookmarkIn = z
  .object({
    url: WebUrl,
    title: z.string().trim().min(1).max(200),
    tags: z.array(z.string().min(1)).max(10).default([]),
  })
  .meta({ id: "BookmarkIn" })

const Problem = z
  .object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
  .meta({ id: "Problem" })

/** What a client sends to change some fields of a bookmark. */
export const BookmarkPatch = z
  .object({
    url: WebUrl.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    tags: z.array(z.string().min(1)).max(10).optional(),
  })
  .meta({ id: "BookmarkPatch" })

const Id = z.object({ id: z.number().int().positive() })

type BookmarkRow = Row<typeof BookmarkModel> & { tags: Row<typeof TagModel>[] }

/** A stored bookmark as the API shows it: its tags by name. */
function present(row: BookmarkRow): z.input<typeof Bookmark> {
  const { id, url, title, createdAt } = row
  return { id, url, title, tags: row.tags.map((t) => t.name), createdAt: createdAt.toISOString() }
}

/**
 * The bookmarks API: every route declares its schemas, so requests are validated
 * (422 problems), handlers are typed, responses are filtered, and `/docs` shows it.
 * Bookmarks and their tags live in the database (`models.ts`, `migrations/`).
 */
export function bookmarksApi(db: Database) {
  const bookmarks = () => db.query(BookmarkModel).prefetchRelated("tags")
  const find = async (id: number): Promise<BookmarkRow> => {
    const row = await bookmarks().filter({ id }).first()
    if (!row)
      throw new HttpError(404, `No bookmark with id ${id}`, { code: "DEMO_BOOKMARK_NOT_FOUND" })
    return row
  }
  /** Saves the fields given, and the tags when given, in one transaction. */
  const save = (id: number | undefined, input: z.output<typeof BookmarkPatch>) =>
    db.transaction(async (tx) => {
      const { tags, ...fields } = input
      const saved =
        id === undefined
          ? await tx.query(BookmarkModel).create(fields as Required<typeof fields>)
          : await tx
              .query(BookmarkModel)
              .filter({ id })
              .update(fields)
              .then(() => ({ id }))
      if (tags !== undefined) {
        const rows = await Promise.all(
          [...new Set(tags)].map(
            async (name) => (await tx.query(TagModel).getOrCreate({ name }))[0],
          ),
        )
        await tx.query(BookmarkModel).related(saved.id, "tags").set(rows)
      }
      return saved.id
    })

  /** PUT and PATCH: 404 for an unknown id, else save what was sent and show the result. */
  const change = async (id: number, input: z.output<typeof BookmarkPatch>) => {
    await find(id)
    await save(id, input)
    return present(await find(id))
  }

  return new Blueprint({ prefix: "/api/bookmarks", name: "bookmarks" })
    .get(
      "",
      {
        name: "list",
        summary: "List bookmarks",
        tags: ["bookmarks"],
        query: z.object({
          tag: z.string().optional(),
          limit: z.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.array(Bookmark) },
      },
      async (c) => {
        const { tag, limit } = c.valid("query")
        const query = tag ? bookmarks().filter({ tags: { name: tag } }) : bookmarks()
        return (await query.limit(limit).all()).map(present)
      },
    )
    .post(
      "",
      {
        name: "create",
        summary: "Save a bookmark",
        tags: ["bookmarks"],
        body: BookmarkIn,
        response: { 201: Bookmark },
      },
      async (c) => {
        const id = await save(undefined, c.valid("body"))
        c.header("location", c.url("bookmarks.show", { id }))
        return c.json(present(await find(id)), 201)
      },
    )
    .get(
      "/:id",
      { name: "show", tags: ["bookmarks"], params: Id, response: { 200: Bookmark, 404: Problem } },
      async (c) => c.json(present(await find(c.valid("params").id)), 200),
    )
    .put(
      "/:id",
      {
        name: "replace",
        summary: "Replace a bookmark",
        tags: ["bookmarks"],
        params: Id,
        body: BookmarkIn,
        response: { 200: Bookmark, 404: Problem },
      },
      async (c) => c.json(await change(c.valid("params").id, c.valid("body")), 200),
    )
    .patch(
      "/:id",
      {
        name: "update",
        summary: "Change some fields of a bookmark",
        tags: ["bookmarks"],
        params: Id,
        body: BookmarkPatch,
        response: { 200: Bookmark, 404: Problem },
      },
      async (c) => c.json(await change(c.valid("params").id, c.valid("body")), 200),
    )
    .delete("/:id", { name: "delete", tags: ["bookmarks"], params: Id }, async (c) => {
      await db
        .query(BookmarkModel)
        .filter({ id: (await find(c.valid("params").id)).id })
        .delete()
      return new Response(null, { status: 204 })
    })
}
