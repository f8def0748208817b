import { afterAll, describe, expect, it } from "vitest"
import { App } from "../kit.js"
import { createClient } from "./index.js"

function makeApp() {
  const app = new App()
  app.post("/login", async (c) => {
    const { user } = await c.req.json<{ user: string }>()
    c.cookie("sid", `s-${user}`)
    c.cookie("theme", "dark", { path: "/prefs" })
    return { ok: true }
  })
  app.get("/me", (c) => ({ sid: c.req.cookies.sid ?? null, theme: c.req.cookies.theme ?? null }))
  app.get("/prefs/me", (c) => ({ theme: c.req.cookies.theme ?? null }))
  app.post("/logout", (c) => {
    c.deleteCookie("sid")
    return { ok: true }
  })
  app.post("/form", async (c) => {
    const form = await c.req.form()
    const file = form.get("doc")
    return {
      type: c.req.contentType,
      tags: form.getAll("tag"),
      name: form.get("name"),
      file:
        file instanceof File ? { name: file.name, type: file.type, text: await file.text() } : null,
    }
  })
  app.post("/go", (c) => c.redirect("/landing", 303))
  app.get("/landing", (c) => ({ method: c.req.method }))
  return app
}

describe("createClient(app)", () => {
  it("stores cookies from responses and sends them back, honouring Path", async () => {
    const client = createClient(makeApp())
    expect(await (await client.get("/me")).json()).toEqual({ sid: null, theme: null })
    const login = await client.post("/login", { user: "ada" })
    expect(login.status).toBe(200)
    expect(await client.cookies()).toEqual({ sid: "s-ada" })
    expect(await (await client.get("/me")).json()).toEqual({ sid: "s-ada", theme: null })
    expect(await (await client.get("/prefs/me")).json()).toEqual({ theme: "dark" })
  })

  it("forgets a cookie the app deletes", async () => {
    const client = createClient(makeApp())
    await client.post("/login", { user: "bob" })
    await client.post("/logout")
    expect(await client.cookies()).toEqual({})
  })

  it("sends forms urlencoded, and multipart when a value is a file", async () => {
    const client = createClient(makeApp())
    const plain = await client.form("/form", { name: "Ada", tag: ["a", "b"] })
    expect(await plain.json()).toEqual({
      type: "application/x-www-form-urlencoded",
      tags: ["a", "b"],
      name: "Ada",
      file: null,
    })
    const doc = new File(["hello file"], "hello.txt", { type: "text/plain" })
    const multi = await client.form("/form", { name: "Ada", tag: "x", doc })
    expect(await multi.json()).toEqual({
      type: "multipart/form-data",
      tags: ["x"],
      name: "Ada",
      file: { name: "hello.txt", type: "text/plain", text: "hello file" },
    })
  })

  it("returns redirects as they are unless followRedirects is on", async () => {
    const manual = await createClient(makeApp()).post("/go")
    expect(manual.status).toBe(303)
    expect(manual.headers.get("location")).toBe("/landing")
    const followed = await createClient(makeApp(), { followRedirects: true }).post("/go")
    expect(followed.status).toBe(200)
    expect(await followed.json()).toEqual({ method: "GET" })
  })
})

describe("createClient(url)", () => {
  const app = makeApp()
  const server = app.listen({ port: 0, signals: false })
  afterAll(() => app.close())

  it("keeps a cookie jar over a real socket", async () => {
    const client = createClient((await server).url)
    await client.post("/login", { user: "eve" })
    expect(await (await client.get("/me")).json()).toEqual({ sid: "s-eve", theme: null })
  })
})
