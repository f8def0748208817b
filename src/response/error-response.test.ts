import { describe, expect, it } from "vitest"
import { App, HttpError } from "../index.js"

/** A debug app with one 4xx route and one 5xx route. */
function debugApp() {
  const app = new App({ logger: false, debug: true })
  app.get("/missing", () => {
    throw new HttpError(404, "No note 7", { code: "NOTE_NOT_FOUND" })
  })
  app.get("/crash", () => {
    throw new Error("kaboom")
  })
  return app
}

describe("debug error bodies", () => {
  it("keep a 4xx problem+json body free of stack and cause", async () => {
    const res = await debugApp().request("/missing")
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      type: "about:blank",
      title: "Not Found",
      status: 404,
      code: "NOTE_NOT_FOUND",
      detail: "No note 7",
    })
  })

  it("show browsers the plain error page for a 4xx, not the developer page", async () => {
    const res = await debugApp().request("/missing", { headers: { accept: "text/html" } })
    expect(res.status).toBe(404)
    const html = await res.text()
    expect(html).toContain("<h1>404 Not Found</h1><p>No note 7</p>")
    expect(html).not.toContain("<h2>Stack</h2>")
  })

  it("still put the stack in a 5xx body", async () => {
    const res = await debugApp().request("/crash")
    expect(res.status).toBe(500)
    const body = (await res.json()) as { detail: string; stack: string[] }
    expect(body.detail).toBe("kaboom")
    expect(body.stack[0]).toBe("Error: kaboom")
  })
})
