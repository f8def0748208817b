import { setTimeout as sleep } from "node:timers/promises"
import { App } from "truss"
import { type SessionOptions, sessions } from "truss/sessions"

export { sleep }

export const SECRET = "test-secret-test-secret-test-secret-0001"
export const OLD_SECRET = "old-secret-old-secret-old-secret-old-0002"

/** An app whose routes read and change the session, for the conformance suite. */
export function sessionApp(options: SessionOptions): App {
  const app = new App({ debug: true, logger: false })
  app.use(sessions(options))
  app.post("/set", async (c) => {
    const body = await c.req.json<Record<string, unknown>>()
    for (const [k, v] of Object.entries(body)) c.session.set(k, v)
    return { isNew: c.session.isNew }
  })
  app.get("/get", (c) => ({
    user: c.session.get("user") ?? null,
    isNew: c.session.isNew,
    hasId: c.session.id !== undefined,
  }))
  app.post("/regenerate", async (c) => {
    const before = c.session.id
    await c.session.regenerate()
    return { changed: before !== c.session.id, user: c.session.get("user") ?? null }
  })
  app.post("/destroy", async (c) => {
    await c.session.destroy()
    return { user: c.session.get("user") ?? null }
  })
  app.post("/clear", (c) => {
    c.session.clear()
    return { ok: true }
  })
  app.post("/flash", (c) => {
    c.flash("success", "Saved")
    return c.redirect("/show", 303)
  })
  app.get("/show", (c) => ({ flashes: c.session.flashes() }))
  app.get("/boom", () => {
    throw new Error("boom")
  })
  return app
}

/** The `name=value` pair of the first Set-Cookie header. */
export function cookiePair(res: Response): string {
  const line = res.headers.getSetCookie()[0]
  if (line === undefined) throw new Error("no Set-Cookie header")
  return line.split(";")[0]!
}

/** Flips one character in the middle of a cookie's value. */
export function tamper(pair: string): string {
  const eq = pair.indexOf("=")
  const value = pair.slice(eq + 1)
  const i = Math.floor(value.length / 2)
  const flipped = value[i] === "A" ? "B" : "A"
  return `${pair.slice(0, eq + 1)}${value.slice(0, i)}${flipped}${value.slice(i + 1)}`
}
