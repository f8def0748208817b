import { execFile } from "node:child_process"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { fixtureApp } from "../../test/support/schema-app.js"
import { runCli } from "../cli/program.js"
import { openapi } from "../schema/index.js"
import { generateClient, tsType } from "./index.js"

const root = join(import.meta.dirname, "../..")

describe("tsType", () => {
  it("maps JSON Schema to TypeScript types", () => {
    expect(
      tsType({
        type: "object",
        properties: {
          id: { type: "integer" },
          tags: { type: "array", items: { $ref: "#/components/schemas/Tag" } },
          kind: { enum: ["a", "b"] },
          note: { anyOf: [{ type: "string" }, { type: "null" }] },
        },
        required: ["id"],
        additionalProperties: false,
      }),
    ).toBe('{ "id": number; "tags"?: Array<Tag>; "kind"?: "a" | "b"; "note"?: (string | null) }')
    expect(tsType({})).toBe("unknown")
    expect(tsType({ type: "object" })).toBe("{ [key: string]: unknown }")
  })
})

describe("generateClient from the fixture app's OpenAPI document", () => {
  const app = fixtureApp()
  const doc = openapi(app, { info: { title: "Fixture", version: "1" } })
  let dir = ""

  beforeAll(async () => {
    await mkdir(join(root, "node_modules/.cache"), { recursive: true })
    dir = await mkdtemp(join(root, "node_modules/.cache/truss-client-"))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it("emits component types and Truss-style paths", () => {
    const code = generateClient(doc)
    expect(code).toContain(
      'export type Note = { "id": number; "text": string; "tags": Array<Tag> }',
    )
    expect(code).toContain(
      '"/api/v1/notes/:id": { options: { params: Typed<{ "id": number }>; response: { 200: Typed<Note>; 404: Typed<Problem>; 422: Typed<TrussValidationProblem> } }; returns: unknown }',
    )
  })

  it("compiles with tsc, typing calls, and runs in-process", async () => {
    await writeFile(join(dir, "client.gen.ts"), generateClient(doc))
    await writeFile(
      join(dir, "use.ts"),
      `import { createClient, type Note } from "./client.gen.js"
export async function use(target: string) {
  const api = createClient(target)
  const res = await api.get("/api/v1/notes/:id", { params: { id: 1 } })
  if (res.status === 200) { const n: Note = res.data; n.tags.map((t) => t.name) }
  if (res.status === 422) res.data.errors.map((e) => e.path)
  // @ts-expect-error: id must be a number
  await api.get("/api/v1/notes/:id", { params: { id: "x" } })
  // @ts-expect-error: unknown path
  await api.get("/nope")
  await api.post("/api/v1/notes", { body: { text: "hi", tags: [] } })
}
`,
    )
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        extends: join(root, "tsconfig.json"),
        compilerOptions: {
          paths: {
            truss: [join(root, "src/index.ts")],
            "truss/*": [join(root, "src/*/index.ts")],
          },
        },
        include: ["./*.ts"],
      }),
    )
    const tsc = join(root, "node_modules/.bin/tsc")
    await promisify(execFile)(tsc, ["--noEmit", "-p", join(dir, "tsconfig.json")]).catch((e) => {
      throw new Error(String(e.stdout))
    })
    type Generated = {
      createClient(target: unknown): {
        get(path: string, input: unknown): Promise<{ status: number; data: unknown }>
      }
    }
    const mod = (await import(join(dir, "client.gen.ts"))) as Generated
    const res = await mod.createClient(app).get("/api/v1/notes/:id", { params: { id: 1 } })
    expect([res.status, res.data]).toEqual([200, { id: 1, text: "Buy milk", tags: [] }])
  }, 120_000)

  it("is what `truss client generate FILE -o OUT` writes", async () => {
    await writeFile(join(dir, "openapi.json"), JSON.stringify(doc))
    const out: string[] = []
    const code = await runCli(["client", "generate", "openapi.json", "-o", "api.gen.ts"], {
      cwd: dir,
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      importer: (url) => import(url),
      interactive: false,
    })
    expect([code, out]).toEqual([0, ["wrote api.gen.ts"]])
    expect(await readFile(join(dir, "api.gen.ts"), "utf8")).toBe(
      generateClient(doc, { source: "openapi.json" }),
    )
  })
})
