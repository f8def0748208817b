/**
 * The raw-driver side shared by Truss raw, Fastify and Express: a `pg` pool, named
 * (prepared) statements, and the handlers' data work, with no framework in sight.
 * @module
 */
import { Liquid } from "liquidjs"
import pg from "pg"
import { DATABASE_URL, distinctIds, randomWorld } from "../db.js"
import {
  batchUpdate,
  EXTRA,
  type Fortune,
  POOL_SIZE,
  TEMPLATE_DIR,
  withExtraSorted,
} from "./common.js"

/** A World row as TFB spells it. */
export interface World {
  id: number
  randomNumber: number
}

/** Diagnostics only: `TFB_UNNAMED=1` sends unnamed statements, as the ORM (Kysely) does. */
const UNNAMED = process.env.TFB_UNNAMED === "1"
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: POOL_SIZE })
const liquid = new Liquid({ root: TEMPLATE_DIR, outputEscape: "escape", cache: true })
const template = liquid.parseFileSync("fortunes.tmpl")

async function world(id: number): Promise<World> {
  const { rows } = await pool.query<{ id: number; randomnumber: number }>({
    name: UNNAMED ? undefined : "world",
    text: "SELECT id, randomnumber FROM world WHERE id = $1",
    values: [id],
  })
  const r = rows[0]!
  return { id: r.id, randomNumber: r.randomnumber }
}

/** One random World row. */
export function oneWorld(): Promise<World> {
  return world(randomWorld())
}

/** `n` random World rows, one query each, run concurrently on the pool. */
export function manyWorlds(n: number): Promise<World[]> {
  return Promise.all(Array.from({ length: n }, () => world(randomWorld())))
}

/** All fortunes plus the request-time one, sorted, rendered by LiquidJS with escaping. */
export async function fortunesHtml(): Promise<string> {
  const { rows } = await pool.query<Fortune>({
    name: "fortunes",
    text: "SELECT id, message FROM fortune",
  })
  return liquid.render(template, { fortunes: withExtraSorted(rows, { ...EXTRA }) })
}

/** Reads `n` distinct rows, gives each a new random number and saves them in one UPDATE. */
export async function updateWorlds(n: number): Promise<World[]> {
  const worlds = await Promise.all(distinctIds(n).map(world))
  for (const w of worlds) w.randomNumber = randomWorld()
  await pool.query(batchUpdate(worlds))
  return worlds
}
