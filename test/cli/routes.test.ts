import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cli, project, SRC } from "./support.js"

const APP = `import { App, Blueprint } from ${SRC.core}
const api = new Blueprint({ prefix: "/api", name: "api" })
api.use(async function requireToken(_c, next) { await next() })
api.get("/items/:id", { name: "item" }, (c) => ({ id: c.params.id }))
api.post("/items", (c) => "made")
export const app = new App()
app.use(async function timing(_c, next) { await next() })
app.get("/", { name: "home" }, () => "home")
app.register(api)
`

describe("truss routes", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({
      "src/app.ts": APP,
      "other/main.ts": `export { app as default } from "../src/app.ts"\n`,
    })
  })
  afterAll(() => p.remove())

  it("prints method, path, name, middleware and handler file:line of every route from src/app.ts", async () => {
    const r = await cli(p.dir, ["routes"])
    expect(r).toEqual({
      code: 0,
      out: [
        "METHOD  PATH            NAME      MIDDLEWARE           HANDLER",
        "GET     /               home      timing               src/app.ts:8",
        "GET     /api/items/:id  api.item  timing,requireToken  src/app.ts:4",
        "POST    /api/items                timing,requireToken  src/app.ts:5",
      ],
      err: [],
    })
  })

  it("takes --app and prints JSON with --json", async () => {
    const r = await cli(p.dir, ["routes", "--app", "other/main.ts", "--json"])
    expect(r.code).toBe(0)
    const handler = (line: number) => `src/app.ts:${line}`
    const mw = "timing,requireToken"
    expect(JSON.parse(r.out.join("\n"))).toEqual([
      { method: "GET", path: "/", name: "home", middleware: "timing", handler: handler(8) },
      {
        method: "GET",
        path: "/api/items/:id",
        name: "api.item",
        middleware: mw,
        handler: handler(4),
      },
      { method: "POST", path: "/api/items", name: "", middleware: mw, handler: handler(5) },
    ])
  })

  it("finds the app through package.json truss.app and TRUSS_APP", async () => {
    const q = await project({
      "package.json": JSON.stringify({ truss: { app: "./lib/web.ts" } }),
      "lib/web.ts": `import { App } from ${SRC.core}\nexport function createApp() { return new App().get("/w", { name: "w" }, () => "w") }\n`,
      "env.ts": `import { App } from ${SRC.core}\nexport default new App().put("/e", () => "e")\n`,
    })
    try {
      expect((await cli(q.dir, ["routes"])).out).toEqual([
        "METHOD  PATH  NAME  MIDDLEWARE  HANDLER",
        "GET     /w    w                 lib/web.ts:2",
      ])
      expect((await cli(q.dir, ["routes"], { TRUSS_APP: "env.ts" })).out).toEqual([
        "METHOD  PATH  NAME  MIDDLEWARE  HANDLER",
        "PUT     /e                      env.ts:2",
      ])
    } finally {
      await q.remove()
    }
  })

  it("says where it looked when there is no app, and what a module exports without one", async () => {
    const q = await project({ "app.ts": "export const notAnApp = 1\n" })
    try {
      expect(await cli(q.dir, ["routes", "--app", "missing.ts"])).toEqual({
        code: 1,
        out: [],
        err: [
          'TRUSS_ERR_CLI_APP_NOT_FOUND No app module found (tried missing.ts). Pass --app <module>, set "truss": { "app": "./src/app.ts" } in package.json, or create src/app.ts exporting the App (export const app = new App()).',
        ],
      })
      expect((await cli(q.dir, ["routes"])).err).toEqual([
        "TRUSS_ERR_CLI_APP_NOT_EXPORTED app.ts exports no App (exports: notAnApp). Export it as `export const app = new App()` or `export default app`, or export a function createApp() that returns it.",
      ])
    } finally {
      await q.remove()
    }
  })
})
