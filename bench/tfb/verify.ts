/**
 * Checks an implementation against the TFB rules before anything is timed: JSON
 * shapes and key spelling, `queries` clamping (`0`, `foo`, `501`, missing), that
 * updates persist, the fortunes page byte for byte (after normalizing equivalent
 * escapes), content types and the `Server`, `Date` and `Content-Length`/chunked headers.
 *
 * `npx tsx bench/tfb/verify.ts [--only truss,flask]` starts each implementation and
 * verifies it alone; the runner calls {@link verifyServer} itself.
 * @module
 */
import { request } from "node:http"
import pg from "pg"
import { DATABASE_URL, EXTRA_FORTUNE, FORTUNES } from "./db.js"

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on("data", (c: Buffer) => chunks.push(c))
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on("error", reject)
    })
    req.on("error", reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)))
    req.end()
  })
}

const escapes: [RegExp, string][] = [
  [/&(#34|#x22|quot);/gi, "&quot;"],
  [/&(#39|#x27|apos);/gi, "&#39;"],
  [/&(#60|#x3c|lt);/gi, "&lt;"],
  [/&(#62|#x3e|gt);/gi, "&gt;"],
  [/&(#38|#x26|amp);/gi, "&amp;"],
]

/** Whitespace between tags dropped, equivalent entity spellings unified. */
export function normalizeHtml(html: string): string {
  let out = html.replace(/>\s+</g, "><").trim()
  for (const [re, to] of escapes) out = out.replace(re, to)
  return out
}

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
}

/** The TFB fortunes page, normalized. */
export function expectedFortunes(): string {
  const rows = [...FORTUNES, [0, EXTRA_FORTUNE] as const].sort(([, a], [, b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  const trs = rows.map(([id, m]) => `<tr><td>${id}</td><td>${escapeHtml(m)}</td></tr>`).join("")
  return `<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>${trs}</table></body></html>`
}

/**
 * Proves the fortunes check rejects what it must: the unescaped script, a missing
 * request-time fortune, an unsorted table. Throws when the checker is broken.
 */
export function selfCheck(): void {
  const good = expectedFortunes()
  const bad = {
    unescaped: good.replace("&lt;script&gt;", "<script>"),
    "no extra fortune": good.replace(/<tr><td>0<\/td>.*?<\/tr>/, ""),
    unsorted: good.replace(/(<tr><td>11<\/td>.*?<\/tr>)(<tr><td>4<\/td>.*?<\/tr>)/, "$2$1"),
    "text not escaped": good.replace("aren&#39;t", "aren't"),
  }
  if (
    !good.includes("フレームワークのベンチマーク") ||
    !good.includes("&lt;script&gt;alert(&quot;")
  )
    throw new Error("verify self-check: the expected fortunes page is wrong")
  for (const [what, page] of Object.entries(bad)) {
    if (page === good || normalizeHtml(page) === good)
      throw new Error(`verify self-check: a page with ${what} would pass`)
  }
  if (normalizeHtml(good.replaceAll("&quot;", "&#34;").replace("><tr>", ">\n  <tr>")) !== good)
    throw new Error("verify self-check: equivalent escapes or whitespace would fail")
}

function header(a: Answer, name: string): string | undefined {
  const v = a.headers[name]
  return Array.isArray(v) ? v.join(", ") : v
}

function checkHeaders(path: string, a: Answer, type: RegExp, problems: string[]): void {
  if (a.status !== 200) problems.push(`${path}: status ${a.status}, expected 200`)
  if (!header(a, "server")) problems.push(`${path}: no Server header`)
  const date = header(a, "date")
  if (!date || Number.isNaN(Date.parse(date))) problems.push(`${path}: no valid Date header`)
  const length = header(a, "content-length")
  const chunked = /chunked/i.test(header(a, "transfer-encoding") ?? "")
  if (length === undefined && !chunked) problems.push(`${path}: neither Content-Length nor chunked`)
  if (length !== undefined && Number(length) !== a.body.length)
    problems.push(`${path}: Content-Length ${length} but ${a.body.length} bytes`)
  const ct = header(a, "content-type") ?? ""
  if (!type.test(ct)) problems.push(`${path}: Content-Type "${ct}" does not match ${type}`)
}

type WorldRow = { id: number; randomNumber: number }

function checkWorld(path: string, w: unknown, problems: string[]): w is WorldRow {
  const o = w as Record<string, unknown>
  const keys = o && typeof o === "object" ? Object.keys(o).sort().join(",") : String(o)
  const ok =
    keys === "id,randomNumber" &&
    Number.isInteger(o.id) &&
    Number.isInteger(o.randomNumber) &&
    (o.id as number) >= 1 &&
    (o.id as number) <= 10_000 &&
    (o.randomNumber as number) >= 1 &&
    (o.randomNumber as number) <= 10_000
  if (!ok)
    problems.push(`${path}: not a World row {id, randomNumber} in 1..10000: ${JSON.stringify(w)}`)
  return ok
}

function parse(path: string, a: Answer, problems: string[]): unknown {
  try {
    return JSON.parse(a.body.toString("utf8"))
  } catch {
    problems.push(`${path}: body is not JSON: ${a.body.toString("utf8").slice(0, 80)}`)
    return undefined
  }
}

const JSON_TYPE = /^application\/json\b/i
const COUNTS: [string, number][] = [
  ["", 1],
  ["0", 1],
  ["foo", 1],
  ["1", 1],
  ["20", 20],
  ["501", 500],
]

async function checkList(port: number, test: string, problems: string[], db: pg.Client) {
  for (const [q, n] of COUNTS) {
    const path = q === "" ? `/${test}` : `/${test}?queries=${q}`
    const a = await get(port, path)
    checkHeaders(path, a, JSON_TYPE, problems)
    const list = parse(path, a, problems)
    if (!Array.isArray(list)) {
      problems.push(`${path}: expected a JSON array`)
      continue
    }
    if (list.length !== n) problems.push(`${path}: ${list.length} rows, expected ${n}`)
    const rows = list.filter((w) => checkWorld(path, w, []))
    if (rows.length !== list.length)
      checkWorld(
        path,
        list.find((w) => !checkWorld(path, w, [])),
        problems,
      )
    if (test === "updates" && n === 20) {
      const { rows: stored } = await db.query<{ id: number; randomnumber: number }>(
        "SELECT id, randomnumber FROM world WHERE id = ANY($1::int[])",
        [rows.map((r) => r.id)],
      )
      const byId = new Map(stored.map((s) => [s.id, s.randomnumber]))
      const lost = rows.filter((r) => byId.get(r.id) !== r.randomNumber)
      if (lost.length) problems.push(`${path}: ${lost.length} of ${n} updates not persisted`)
    }
  }
}

/** Every rule violation of the server on `port`; empty when it passes. */
export async function verifyServer(port: number): Promise<string[]> {
  const problems: string[] = []
  const db = new pg.Client({ connectionString: DATABASE_URL })
  await db.connect()
  try {
    let a = await get(port, "/json")
    checkHeaders("/json", a, JSON_TYPE, problems)
    const msg = parse("/json", a, problems)
    if (JSON.stringify(msg) !== '{"message":"Hello, World!"}')
      problems.push(`/json: body ${JSON.stringify(msg)}`)
    a = await get(port, "/plaintext")
    checkHeaders("/plaintext", a, /^text\/plain\b/i, problems)
    if (a.body.toString() !== "Hello, World!") problems.push(`/plaintext: body "${a.body}"`)
    a = await get(port, "/db")
    checkHeaders("/db", a, JSON_TYPE, problems)
    checkWorld("/db", parse("/db", a, problems), problems)
    await checkList(port, "queries", problems, db)
    await checkList(port, "updates", problems, db)
    a = await get(port, "/fortunes")
    checkHeaders("/fortunes", a, /^text\/html;\s*charset=utf-8$/i, problems)
    const html = normalizeHtml(a.body.toString("utf8"))
    const expected = expectedFortunes()
    if (html !== expected) {
      let i = 0
      while (html[i] === expected[i]) i++
      problems.push(
        `/fortunes: HTML differs at ${i}: got "${html.slice(i, i + 60)}", expected "${expected.slice(i, i + 60)}"`,
      )
    }
  } catch (err) {
    problems.push(`request failed: ${(err as Error).message}`)
  } finally {
    await db.end()
  }
  return problems
}
