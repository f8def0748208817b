import { Blueprint, HttpError } from "truss"
import { z } from "zod"

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

const Id = z.object({ id: z.number().int().positive() })

interface Row extends z.infer<typeof Bookmark> {
  /** Internal: never reaches clients, the response schema does not declare it. */
  ownerToken: string
}

/**
 * The bookmarks API: every route declares its schemas, so requests are validated
 * (422 problems), handlers are typed, responses are filtered, and `/docs` shows it.
 */
export function bookmarksApi() {
  const rows = new Map<number, Row>()
  let nextId = 1
  const find = (id: number): Row => {
    const row = rows.get(id)
    if (!row)
      throw new HttpError(404, `No bookmark with id ${id}`, { code: "DEMO_BOOKMARK_NOT_FOUND" })
    return row
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
      (c) => {
        const { tag, limit } = c.valid("query")
        return [...rows.values()].filter((b) => !tag || b.tags.includes(tag)).slice(0, limit)
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
      (c) => {
        const row: Row = {
          id: nextId++,
          ...c.valid("body"),
          createdAt: new Date().toISOString(),
          ownerToken: "secret",
        }
        rows.set(row.id, row)
        c.header("location", c.url("bookmarks.show", { id: row.id }))
        return c.json(row, 201)
      },
    )
    .get(
      "/:id",
      { name: "show", tags: ["bookmarks"], params: Id, response: { 200: Bookmark, 404: Problem } },
      (c) => c.json(find(c.valid("params").id), 200),
    )
    .delete("/:id", { name: "delete", tags: ["bookmarks"], params: Id }, (c) => {
      rows.delete(find(c.valid("params").id).id)
      return new Response(null, { status: 204 })
    })
}
