import { Blueprint, type Context, HttpError } from "truss"
import type { Database, Row } from "truss/orm"
import { NoteModel } from "./models.js"

/** The text of a JSON body `{ "text": "…" }`, trimmed, or a coded 422. */
async function noteText(c: Context): Promise<string> {
  const body: unknown = await c.req.json()
  // Any JSON value parses: `null`, an array or a string is no note either.
  const text =
    typeof body === "object" && body !== null && !Array.isArray(body)
      ? (body as { text?: unknown }).text
      : undefined
  if (typeof text !== "string" || text.trim() === "") {
    throw new HttpError(422, "text is required and must be a non-empty string", {
      code: "DEMO_NOTE_TEXT_REQUIRED",
    })
  }
  return text.trim()
}

/**
 * The notes API, written by hand without schemas: a blueprint with named routes, JSON
 * bodies and coded errors, on the `note` table.
 */
export function notesApi(db: Database): Blueprint {
  const notes = () => db.query(NoteModel)
  const find = async (id: string): Promise<Row<typeof NoteModel>> => {
    const note = await notes()
      .filter({ id: Number(id) })
      .first()
    if (!note) throw new HttpError(404, `No note with id ${id}`, { code: "DEMO_NOTE_NOT_FOUND" })
    return note
  }
  const api = new Blueprint({ prefix: "/api/notes", name: "notes" })

  api.get("", { name: "list" }, async () => ({ notes: await notes().all() }))

  api.post("", { name: "create" }, async (c) => {
    const note = await notes().create({ text: await noteText(c) })
    c.header("location", c.url("notes.show", { id: note.id }))
    return c.json(note, 201)
  })

  api.get("/:id(\\d+)", { name: "show" }, (c) => find(c.params.id))

  api.patch("/:id(\\d+)", { name: "update" }, async (c) => {
    const note = await find(c.params.id)
    const text = await noteText(c)
    await notes().filter({ id: note.id }).update({ text })
    return { ...note, text }
  })

  api.delete("/:id(\\d+)", { name: "delete" }, async (c) => {
    await notes()
      .filter({ id: (await find(c.params.id)).id })
      .delete()
    c.status = 204
    c.body = null
    return c
  })
  return api
}
