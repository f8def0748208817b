/**
 * Truss the idiomatic way: ORM models and query sets (`truss/orm`) and templates
 * (`truss/templates`, `c.render`). With `TRUSS_ENTRY` (the runner sets it) Truss comes
 * from that compiled `index.js` (tsc output, as published); without it, from source.
 * @module
 */
import type * as Core from "truss"
import type * as Orm from "truss/orm"
import type * as Templates from "truss/templates"
import { DATABASE_URL, distinctIds, queryCount, randomWorld } from "../db.js"
import {
  EXTRA,
  MESSAGE,
  PIPELINE,
  PLAINTEXT,
  POOL_SIZE,
  port,
  ready,
  TEMPLATE_DIR,
  withExtraSorted,
} from "./common.js"

const entry = process.env.TRUSS_ENTRY
const sub = (name: string) =>
  entry ? entry.replace(/index\.js$/, `${name}/index.js`) : `truss/${name}`
const { App } = (await import(entry ?? "truss")) as typeof Core
const { connect, field, model } = (await import(sub("orm"))) as typeof Orm
const { templates } = (await import(sub("templates"))) as typeof Templates

const World = model(
  "world",
  { randomNumber: field.integer({ dbColumn: "randomnumber" }) },
  { table: "world" },
)
const Fortune = model("fortune", { message: field.string({ max: 2048 }) }, { table: "fortune" })

const db = await connect(DATABASE_URL, { poolSize: POOL_SIZE, prepare: true, pipeline: PIPELINE })
const app = new App()

app.use(async function serverHeader(c, next) {
  c.header("server", "truss")
  await next()
})
app.use(templates({ dir: TEMPLATE_DIR, debug: false }))

app.get("/json", () => ({ message: MESSAGE }))
app.get("/plaintext", () => PLAINTEXT)

app.get("/db", async () => {
  return await db.query(World).get({ id: randomWorld() })
})

app.get("/queries", async (c) => {
  const n = queryCount(c.req.query.get("queries") ?? undefined)
  return await Promise.all(
    Array.from({ length: n }, () => db.query(World).get({ id: randomWorld() })),
  )
})

app.get("/fortunes", async (c) => {
  const fortunes = withExtraSorted(await db.query(Fortune).all(), { ...EXTRA })
  return c.render("fortunes.tmpl", { fortunes })
})

app.get("/updates", async (c) => {
  const n = queryCount(c.req.query.get("queries") ?? undefined)
  const worlds = await Promise.all(distinctIds(n).map((id) => db.query(World).get({ id })))
  for (const w of worlds) w.randomNumber = randomWorld()
  worlds.sort((a, b) => a.id - b.id)
  await db.query(World).bulkUpdate(worlds, ["randomNumber"])
  return worlds
})

const p = port()
await app.listen({ port: p, host: "127.0.0.1" })
ready("truss", p)
