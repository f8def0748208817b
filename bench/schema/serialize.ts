/**
 * Response serialization: JSON.stringify vs the fast-json-stringify serializer Truss
 * compiles from a route's response schema (production mode), on the same payload,
 * plus the same comparison through a full in-process request.
 * Run: `npx tsx bench/schema/serialize.ts`
 */
import fastJson from "fast-json-stringify"
import { App } from "truss"
import { z } from "zod"

const Note = z.object({
  id: z.number().int(),
  title: z.string(),
  done: z.boolean(),
  tags: z.array(z.string()),
  author: z.object({ id: z.number().int(), name: z.string() }),
})
const Notes = z.array(Note)
const notes = Array.from({ length: 20 }, (_, i) => ({
  id: i,
  title: `Note number ${i} with some text`,
  done: i % 2 === 0,
  tags: ["work", "home", "later"],
  author: { id: 7, name: "Ada Lovelace" },
  passwordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
}))

function opNs(n: number, fn: () => unknown): number {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) fn()
  return Number(process.hrtime.bigint() - start) / n
}

const { $schema: _s, ...schema } = Notes["~standard"].jsonSchema.output({ target: "draft-2020-12" })
const fjs = fastJson(schema as unknown as Parameters<typeof fastJson>[0])
const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
const serializers = [
  ["JSON.stringify", () => JSON.stringify(notes)],
  ["fast-json-stringify (from the zod schema)", () => fjs(notes)],
] as const
console.log(
  `payload: 20 notes (${JSON.stringify(notes).length} bytes with an undeclared passwordHash)`,
)
const ser: number[][] = [[], []]
for (const [, fn] of serializers) opNs(20_000, fn)
for (let round = 0; round < 9; round++) {
  for (const [i, [, fn]] of serializers.entries()) ser[i]!.push(opNs(20_000, fn))
}
const [a, b] = ser.map(median) as [number, number]
for (const [i, [label]] of serializers.entries()) {
  const ns = [a, b][i]!
  console.log(
    `${label.padEnd(48)} ${(1e9 / ns).toFixed(0).padStart(9)} ops/s  ${(ns / 1000).toFixed(2)} µs/op (median of 9)`,
  )
}
console.log(`serializer speed-up: ${(a / b).toFixed(2)}×`)

const plain = new App().get("/notes", () => notes)
const typed = new App().get("/notes", { response: { 200: Notes } }, () => notes)
const checked = new App({ debug: true }).get("/notes", { response: { 200: Notes } }, () => notes)
async function timeRequests(app: App, n: number): Promise<number> {
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await (await app.request("/notes")).arrayBuffer()
  return Number(process.hrtime.bigint() - start) / n
}
const apps = [
  ["app.request: no response schema", plain],
  ["app.request: response schema, production", typed],
  ["app.request: response schema, debug (validates)", checked],
] as const
const samples: number[][] = apps.map(() => [])
for (const [, app] of apps) await timeRequests(app, 5_000)
for (let round = 0; round < 7; round++) {
  for (const [i, [, app]] of apps.entries()) samples[i]!.push(await timeRequests(app, 5_000))
}
const medians = samples.map(median)
for (const [i, [label]] of apps.entries()) {
  const ns = medians[i]!
  console.log(
    `${label.padEnd(48)} ${(1e9 / ns).toFixed(0).padStart(9)} req/s  ${(ns / 1000).toFixed(2)} µs/req (median of 7)`,
  )
}
console.log(
  `request speed-up (production schema vs none): ${(medians[0]! / medians[1]!).toFixed(2)}×`,
)
