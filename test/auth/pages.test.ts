import type { App } from "truss"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authModels, createUser, loginThrottle, User } from "../../src/auth/index.js"
import { createMailer, type Mailer, memoryTransport } from "../../src/mail/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import {
  alertIn,
  apiPost,
  browser,
  csrfIn,
  fieldErrorsIn,
  PASSWORD,
  pagesApp,
  submit,
} from "./pages-app.js"

for (const target of await testDatabases()) {
  if (!["sqlite", "postgres", "mariadb"].includes(target.name)) continue
  describe.skipIf(!target.available)(`${target.name}: auth pages login`, () => {
    let db: Database
    let drop: () => Promise<void>
    let mailer: Mailer
    let app: App
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, authModels)
      mailer = createMailer({ transport: memoryTransport() })
      await createUser(db, { email: "ann@example.com", password: PASSWORD })
      app = pagesApp(db, mailer)
    })
    afterAll(() => drop?.())

    describe("authPages(): login", () => {
      it("serves a CSRF-protected login form that links to the stylesheet", async () => {
        const res = await browser(app).get("/accounts/login")
        expect(res.status).toBe(200)
        expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
        const html = await res.text()
        expect(html).toContain('<link rel="stylesheet" href="/accounts/static/auth.css">')
        expect(html).toContain('<form method="post" action="/accounts/login" class="auth-form">')
        expect(csrfIn(html)).toMatch(/^[\w-]{86}$/)
        expect(html).not.toMatch(/<script|style=/)
      })

      it("signs in with the form and goes to a same-origin next", async () => {
        const client = browser(app)
        const res = await submit(client, "/accounts/login?next=/tasks%3Fpage%3D2", {
          email: "ANN@example.com ",
          password: PASSWORD,
          next: "/tasks?page=2",
        })
        expect([res.status, res.headers.get("location")]).toEqual([303, "/tasks?page=2"])
        expect(
          await (await client.get("/", { headers: { accept: "application/json" } })).json(),
        ).toEqual({
          user: "ann@example.com",
        })
      })

      it("refuses an open-redirect next and goes to the default instead", async () => {
        for (const next of [
          "//evil.example/x",
          "https://evil.example/",
          "/\\evil.example",
          "javascript:alert(1)",
        ]) {
          const res = await submit(browser(app), "/accounts/login", {
            email: "ann@example.com",
            password: PASSWORD,
            next,
          })
          expect([res.status, res.headers.get("location")]).toEqual([303, "/"])
        }
        const page = await (
          await browser(app).get("/accounts/login?next=%2F%2Fevil.example")
        ).text()
        expect(page).not.toContain("evil.example")
      })

      it("answers a wrong password and an unknown email the same way, on the page and in JSON", async () => {
        const wrong = await submit(browser(app), "/accounts/login", {
          email: "ann@example.com",
          password: "not the password",
        })
        const unknown = await submit(browser(app), "/accounts/login", {
          email: "nobody@example.com",
          password: "not the password",
        })
        expect(wrong.status).toBe(401)
        expect(unknown.status).toBe(401)
        const [a, b] = [await wrong.text(), await unknown.text()]
        expect(alertIn(a)).toEqual([
          "TRUSS_ERR_AUTH_INVALID_CREDENTIALS",
          "The email or the password is wrong. Check both and try again.",
        ])
        expect(alertIn(b)).toEqual(alertIn(a))
        expect(b.replace(csrfIn(b), "").replace("nobody@", "ann@")).toBe(a.replace(csrfIn(a), ""))
        const api = createClient(app)
        const j1 = await apiPost(api, "/accounts/login", {
          email: "ann@example.com",
          password: "x",
        })
        const j2 = await apiPost(api, "/accounts/login", {
          email: "who@example.com",
          password: "x",
        })
        expect([j1.status, j2.status]).toEqual([401, 401])
        const body = {
          type: "about:blank",
          title: "Unauthorized",
          status: 401,
          code: "TRUSS_ERR_AUTH_INVALID_CREDENTIALS",
          detail: "The email or the password is wrong. Check both and try again.",
        }
        expect([await j1.json(), await j2.json()]).toEqual([body, body])
      })

      it("shows coded field errors for an empty form", async () => {
        const res = await submit(browser(app), "/accounts/login", { email: "", password: "" })
        expect(res.status).toBe(422)
        expect(fieldErrorsIn(await res.text())).toEqual([
          ["email", "required", "Enter your email."],
          ["password", "required", "Enter your password."],
        ])
      })

      it("signs in through the JSON endpoint with the CSRF header", async () => {
        const api = createClient(app)
        const res = await apiPost(api, "/accounts/login", {
          email: "ann@example.com",
          password: PASSWORD,
        })
        expect(res.status).toBe(200)
        const ann = await db.query(User).filter({ email: "ann@example.com" }).get()
        expect(await res.json()).toEqual({
          user: { id: ann.id, email: "ann@example.com", username: null, emailVerified: false },
          next: "/",
        })
        expect(await (await api.get("/")).json()).toEqual({ user: "ann@example.com" })
      })

      it("refuses a form post without the CSRF token (403)", async () => {
        const res = await browser(app).form("/accounts/login", {
          email: "ann@example.com",
          password: PASSWORD,
        })
        expect(res.status).toBe(403)
        const api = await createClient(app).post("/accounts/login", {
          email: "ann@example.com",
          password: PASSWORD,
        })
        expect(((await api.json()) as { code: string }).code).toBe("TRUSS_ERR_CSRF_MISSING")
      })
    })

    describe("authPages(): lockout", () => {
      it("locks an IP that tries many accounts, whatever the account", async () => {
        const strict = pagesApp(db, mailer, {
          throttle: loginThrottle({ perAccount: 100, perIp: 3, window: 60 }),
        })
        const statuses: number[] = []
        for (const who of ["a", "b", "c", "d"]) {
          const res = await submit(browser(strict), "/accounts/login", {
            email: `${who}@example.com`,
            password: "wrong",
          })
          statuses.push(res.status)
        }
        expect(statuses).toEqual([401, 401, 401, 429])
        const ann = await submit(browser(strict), "/accounts/login", {
          email: "ann@example.com",
          password: PASSWORD,
        })
        expect([ann.status, alertIn(await ann.text())?.[0]]).toEqual([
          429,
          "TRUSS_ERR_AUTH_LOCKED_OUT",
        ])
      })

      it("locks an account after a burst with 429 and Retry-After, the same for an unknown account", async () => {
        await createUser(db, { email: "lock@example.com", password: PASSWORD })
        const statuses: number[] = []
        for (let i = 0; i < 4; i++) {
          const res = await submit(browser(app), "/accounts/login", {
            email: "lock@example.com",
            password: "wrong",
          })
          statuses.push(res.status)
        }
        expect(statuses).toEqual([401, 401, 401, 429])
        const locked = await submit(browser(app), "/accounts/login", {
          email: "lock@example.com",
          password: PASSWORD,
        })
        expect(locked.status).toBe(429)
        const retry = Number(locked.headers.get("retry-after"))
        // A fixed window aligned to the clock: what is left of the 60 s.
        expect(retry).toBeGreaterThanOrEqual(1)
        expect(retry).toBeLessThanOrEqual(60)
        const lockedHtml = await locked.text()
        expect(alertIn(lockedHtml)).toEqual([
          "TRUSS_ERR_AUTH_LOCKED_OUT",
          `Too many failed logins. Wait ${retry} seconds, then try again.`,
        ])
        for (let i = 0; i < 3; i++) {
          await submit(browser(app), "/accounts/login", {
            email: "ghost@example.com",
            password: "wrong",
          })
        }
        const ghostPage = await submit(browser(app), "/accounts/login", {
          email: "ghost@example.com",
          password: PASSWORD,
        })
        expect(ghostPage.status).toBe(429)
        const shown = await ghostPage.text()
        expect(alertIn(shown)?.[0]).toBe("TRUSS_ERR_AUTH_LOCKED_OUT")
        const neutral = (html: string) =>
          html
            .replace(csrfIn(html), "")
            .replace(/\d+ seconds/, "N seconds")
            .replace(/(ghost|lock)@/, "x@")
        expect(neutral(shown)).toBe(neutral(lockedHtml))
        const ghost = await apiPost(createClient(app), "/accounts/login", {
          email: "ghost@example.com",
          password: "x",
        })
        expect(ghost.status).toBe(429)
        expect(ghost.headers.get("retry-after")).toMatch(/^\d+$/)
        expect(((await ghost.json()) as { code: string }).code).toBe("TRUSS_ERR_AUTH_LOCKED_OUT")
      })
    })
  })
}
