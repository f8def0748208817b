import { App, HttpError } from "truss"
import { databaseCheck, health, metrics } from "truss/ops"
import type { Database, Row } from "truss/orm"
import { docs } from "truss/schema"
import { z } from "zod"
import { Note } from "./models.js"

const NoteOut = z
  .object({
    id: z.number().int(),
    title: z.string(),
    body: z.string(),
    done: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: "Note" })

const NoteIn = z
  .object({
    title: z.string().trim().min(1).max(200),
    body: z.string().max(10_000).default(""),
    done: z.boolean().default(false),
  })
  .meta({ id: "NoteIn" })

const Id = z.object({ id: z.coerce.number().int().positive() })

function present(note: Row<typeof Note>): z.infer<typeof NoteOut> {
  return { ...note, createdAt: note.createdAt.toISOString() }
}

/** Builds the app on a database: JSON routes, OpenAPI at /docs, /healthz, /readyz, /metrics. */
export function createApp(db: Database, options: { debug?: boolean; metricsToken?: string } = {}) {
  const app = new App({ debug: options.debug ?? false })
  metrics(app, { token: options.metricsToken })
  const notes = () => db.query(Note)
  const find = async (id: number) => {
    const note = await notes().filter({ id }).first()
    if (!note) throw new HttpError(404, `No note with id ${id}`, { code: "APP_NOTE_NOT_FOUND" })
    return note
  }

  app.get("/", { name: "home" }, (c) => ({
    name: "__NAME__",
    notes: c.url("notes.list"),
    docs: "/docs",
  }))
  app.get(
    "/notes",
    { name: "notes.list", tags: ["notes"], response: { 200: z.array(NoteOut) } },
    async () => (await notes().orderBy("-id").all()).map(present),
  )
  app.post(
    "/notes",
    { name: "notes.create", tags: ["notes"], body: NoteIn, response: { 201: NoteOut } },
    async (c) => {
      const note = await notes().create(c.valid("body"))
      c.header("location", c.url("notes.show", { id: note.id }))
      return c.json(present(note), 201)
    },
  )
  app.get(
    "/notes/:id",
    { name: "notes.show", tags: ["notes"], params: Id, response: { 200: NoteOut } },
    async (c) => present(await find(c.valid("params").id)),
  )
  app.register(health({ checks: { database: databaseCheck(db) } }))
  docs(app, { enabled: true, info: { title: "__NAME__ API", version: "0.1.0" } })
  return app
}
