import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { App } from "truss"
import { createClient, type TestClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { AUTH_AT_KEY, authModels, createUser, User } from "../../src/auth/index.js"
import {
  confirmTotp,
  hasTotp,
  TotpDeviceModel,
  totpCode,
  totpEnrollment,
  totpRoutes,
} from "../../src/auth/mfa/index.js"
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
  describe.skipIf(!target.available)(
    `${target.name}: auth pages signup, logout, password change`,
    () => {
      let db: Database
      let drop: () => Promise<void>
      let mailer: Mailer
      let app: App
      beforeAll(async () => {
        ;({ db, drop } = await target.open())
        await createTables(db, authModels)
        mailer = createMailer({ transport: memoryTransport() })
        app = pagesApp(db, mailer)
      })
      afterAll(() => drop?.())

      const json = { headers: { accept: "application/json" } }

      async function signedIn(email: string, password = PASSWORD): Promise<TestClient> {
        const client = browser(app)
        const res = await submit(client, "/accounts/login", { email, password })
        expect(res.status).toBe(303)
        return client
      }

      describe("authPages(): signup", () => {
        it("creates the account with a normalized email, logs it in and mails a verification link", async () => {
          const client = browser(app)
          const before = mailer.outbox.length
          const res = await submit(client, "/accounts/signup", {
            email: "  Zoe@Example.COM ",
            password: "zebra crossing at night",
            confirm: "zebra crossing at night",
          })
          expect([res.status, res.headers.get("location")]).toEqual([303, "/"])
          expect(await (await client.get("/", json)).json()).toEqual({ user: "zoe@example.com" })
          const zoe = await db.query(User).filter({ email: "zoe@example.com" }).get()
          expect([zoe.emailVerified, zoe.password.startsWith("$argon2id$")]).toEqual([false, true])
          expect(mailer.outbox.length).toBe(before + 1)
          const mail = mailer.outbox.at(-1)!
          expect([mail.to, mail.subject]).toEqual([
            ["zoe@example.com"],
            "Confirm your email on Acme",
          ])
          expect(mail.text).toMatch(
            /^Confirm your email\n\nWelcome to Acme\. Confirm that zoe@example\.com is your address:\n\nhttp:\/\/localhost\/accounts\/verify\/[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+\n\nThe link works for 72 hours\. If you did not create an account, ignore this mail\.\n$/,
          )
        })

        it("shows each password validator's coded message next to the field, and a mismatch", async () => {
          const res = await submit(browser(app), "/accounts/signup", {
            email: "sam@example.com",
            password: "12345678",
            confirm: "12345679",
          })
          expect(res.status).toBe(422)
          const html = await res.text()
          expect(fieldErrorsIn(html)).toEqual([
            ["password", "password_too_common", "It is too common."],
            ["password", "password_entirely_numeric", "It cannot be entirely numeric."],
            ["confirm", "password_mismatch", "The two passwords differ."],
          ])
          expect(html).toContain('value="sam@example.com"')
          expect(await db.query(User).filter({ email: "sam@example.com" }).exists()).toBe(false)
        })

        it("refuses a taken email (any case) with a field error, and in JSON with errors", async () => {
          await createUser(db, { email: "taken@example.com", password: PASSWORD })
          const res = await submit(browser(app), "/accounts/signup", {
            email: "TAKEN@example.com",
            password: "zebra crossing at night",
            confirm: "zebra crossing at night",
          })
          expect(res.status).toBe(422)
          const message =
            "An account with this email already exists. Sign in, or reset your password."
          expect(fieldErrorsIn(await res.text())).toEqual([["email", "email_taken", message]])
          const api = await apiPost(createClient(app), "/accounts/signup", {
            email: "taken@example.com",
            password: "zebra crossing at night",
          })
          expect(api.status).toBe(422)
          expect(await api.json()).toEqual({
            type: "about:blank",
            title: "Unprocessable Entity",
            status: 422,
            code: "TRUSS_ERR_AUTH_FORM_INVALID",
            detail:
              "Some fields need fixing; `errors` lists them by field with a code and a message.",
            errors: [{ field: "email", code: "email_taken", message }],
          })
        })

        it("signs up through JSON (201) and refuses a bad email with a code", async () => {
          const api = createClient(app)
          const bad = await apiPost(api, "/accounts/signup", {
            email: "not-an-email",
            password: "x",
          })
          expect(((await bad.json()) as { errors: unknown }).errors).toEqual([
            { field: "email", code: "invalid", message: "Enter a valid email address." },
            {
              field: "password",
              code: "password_too_short",
              message: "It must have at least 8 characters.",
            },
          ])
          const ok = await apiPost(api, "/accounts/signup", {
            email: "Json@Example.com",
            password: "zebra crossing at night",
          })
          expect(ok.status).toBe(201)
          const row = await db.query(User).filter({ email: "json@example.com" }).get()
          expect(await ok.json()).toEqual({
            user: { id: row.id, email: "json@example.com", username: null, emailVerified: false },
            next: "/",
          })
        })

        it("is 404 TRUSS_ERR_AUTH_SIGNUP_DISABLED when switched off, page and endpoint", async () => {
          const closed = pagesApp(db, mailer, { signup: false })
          const page = await browser(closed).get("/accounts/signup")
          expect([page.status, alertIn(await page.text())]).toEqual([
            404,
            [
              "TRUSS_ERR_AUTH_SIGNUP_DISABLED",
              "Sign-up is switched off on this site. Ask an administrator for an account.",
            ],
          ])
          const api = await apiPost(createClient(closed), "/accounts/signup", {
            email: "new@example.com",
            password: "zebra crossing at night",
          })
          expect([api.status, ((await api.json()) as { code: string }).code]).toEqual([
            404,
            "TRUSS_ERR_AUTH_SIGNUP_DISABLED",
          ])
          expect(await db.query(User).filter({ email: "new@example.com" }).exists()).toBe(false)
          const login = await (await browser(closed).get("/accounts/login")).text()
          expect(login).not.toContain("Create an account")
        })
      })

      describe("authPages(): logout", () => {
        it("asks to confirm on GET and signs out on POST", async () => {
          await createUser(db, { email: "out@example.com", password: PASSWORD })
          const client = await signedIn("out@example.com")
          const page = await client.get("/accounts/logout")
          const html = await page.text()
          expect(html).toContain("You are signed in as <strong>out@example.com</strong>.")
          const res = await client.form("/accounts/logout", { _csrf: csrfIn(html) })
          expect([res.status, res.headers.get("location")]).toEqual([
            303,
            "/accounts/login?signedOut=1",
          ])
          expect(await (await client.get("/", json)).json()).toEqual({ user: null })
          const after = await (await client.get("/accounts/login?signedOut=1")).text()
          expect(after).toContain('<p class="auth-notice">You are signed out.</p>')
        })

        it("signs out through JSON", async () => {
          const api = createClient(app)
          await apiPost(api, "/accounts/login", { email: "out@example.com", password: PASSWORD })
          expect(await (await api.get("/")).json()).toEqual({ user: "out@example.com" })
          const res = await apiPost(api, "/accounts/logout", {})
          expect([res.status, await res.json()]).toEqual([200, { user: null }])
          expect(await (await api.get("/")).json()).toEqual({ user: null })
        })
      })

      describe("authPages(): password change", () => {
        it("sends a logged-out browser to login with next, and an API client a 401", async () => {
          const res = await browser(app).get("/accounts/password/change")
          expect([res.status, res.headers.get("location")]).toEqual([
            303,
            "/accounts/login?next=%2Faccounts%2Fpassword%2Fchange",
          ])
          const api = await createClient(app).get("/accounts/password/change")
          expect(api.status).toBe(401)
          expect(((await api.json()) as { code: string }).code).toBe(
            "TRUSS_ERR_AUTH_LOGIN_REQUIRED",
          )
        })

        it("needs the current password, keeps this session and ends the others", async () => {
          await createUser(db, { email: "pw@example.com", password: PASSWORD })
          const laptop = await signedIn("pw@example.com")
          const phone = await signedIn("pw@example.com")
          const wrong = await submit(laptop, "/accounts/password/change", {
            current: "not it",
            password: "Xq9!",
            confirm: "Xq9!",
          })
          expect(wrong.status).toBe(422)
          expect(fieldErrorsIn(await wrong.text())).toEqual([
            ["current", "password_incorrect", "Your current password is wrong."],
            ["password", "password_too_short", "It must have at least 8 characters."],
          ])
          const ok = await submit(laptop, "/accounts/password/change", {
            current: PASSWORD,
            password: "a brand new passphrase",
            confirm: "a brand new passphrase",
          })
          expect(ok.status).toBe(200)
          expect(await ok.text()).toContain(
            "Your password is changed. You stay signed in here; your other sessions are signed out.",
          )
          expect(await (await laptop.get("/", json)).json()).toEqual({ user: "pw@example.com" })
          expect(await (await phone.get("/", json)).json()).toEqual({ user: null })
          expect((await signedIn("pw@example.com", "a brand new passphrase")).jar).toBeDefined()
        })

        it("asks for a fresh sign-in when the last one is older than stepUpMaxAge", async () => {
          const strict = pagesApp(db, mailer, { stepUpMaxAge: 0 })
          await createUser(db, { email: "step@example.com", password: PASSWORD })
          const client = browser(strict)
          await submit(client, "/accounts/login", { email: "step@example.com", password: PASSWORD })
          await new Promise((r) => setTimeout(r, 5))
          const res = await client.get("/accounts/password/change")
          expect([res.status, res.headers.get("location")]).toEqual([
            303,
            "/accounts/login?next=%2Faccounts%2Fpassword%2Fchange&reauth=1",
          ])
          const login = await (await client.get(res.headers.get("location")!)).text()
          expect(login).toContain("For your security, please sign in again to continue.")
          const api = createClient(strict)
          await apiPost(api, "/accounts/login", { email: "step@example.com", password: PASSWORD })
          await new Promise((r) => setTimeout(r, 5))
          const denied = await api.get("/accounts/password/change")
          expect(denied.status).toBe(401)
          expect(((await denied.json()) as { code: string }).code).toBe(
            "TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED",
          )
          expect(AUTH_AT_KEY).toBe("_auth_at")
        })

        it("changes the password through JSON", async () => {
          await createUser(db, { email: "pwjson@example.com", password: PASSWORD })
          const api = createClient(app)
          await apiPost(api, "/accounts/login", { email: "pwjson@example.com", password: PASSWORD })
          const got = await api.get("/accounts/password/change")
          const { csrfToken } = (await got.json()) as { csrfToken: string }
          const res = await api.post(
            "/accounts/password/change",
            { current: PASSWORD, password: "another fine passphrase" },
            { headers: { "x-csrf-token": csrfToken } },
          )
          expect([res.status, await res.json()]).toEqual([200, { ok: true }])
        })
      })

      describe("authPages(): second factor", () => {
        it("hands a user with TOTP to /mfa/verify, where the code finishes the sign-in", async () => {
          await createTables(db, [TotpDeviceModel])
          const mfaApp = pagesApp(db, mailer, { secondFactor: (u) => hasTotp(db, u.id) })
          mfaApp.register(totpRoutes({ db, issuer: "Acme" }))
          const tom = await createUser(db, { email: "tom@example.com", password: PASSWORD })
          const { secret } = totpEnrollment({ issuer: "Acme", account: tom.email })
          await confirmTotp(db, tom.id, secret, totpCode(secret))
          const client = browser(mfaApp)
          const res = await submit(client, "/accounts/login", {
            email: "tom@example.com",
            password: PASSWORD,
          })
          expect([res.status, res.headers.get("location")]).toEqual([303, "/mfa/verify"])
          expect(await (await client.get("/", json)).json()).toEqual({ user: null })
          const verify = await client.get("/mfa/verify")
          const done = await client.form("/mfa/verify", {
            _csrf: csrfIn(await verify.text()),
            code: totpCode(secret, Date.now() + 30_000),
          })
          expect([done.status, done.headers.get("location")]).toEqual([303, "/"])
          expect(await (await client.get("/", json)).json()).toEqual({ user: "tom@example.com" })
          const api = await apiPost(createClient(mfaApp), "/accounts/login", {
            email: "tom@example.com",
            password: PASSWORD,
          })
          expect(await api.json()).toEqual({ secondFactor: true, next: "/mfa/verify" })
        })
      })

      describe("authPages(): templates and assets", () => {
        it("serves its stylesheet as text/css", async () => {
          const res = await createClient(app).get("/accounts/static/auth.css")
          expect(res.status).toBe(200)
          expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8")
          expect(res.headers.get("cache-control")).toBe("public, max-age=3600")
          expect(await res.text()).toContain(".auth-card {")
        })

        it("uses the app's template of the same name first, and the built-in ones for the rest", async () => {
          const dir = mkdtempSync(join(tmpdir(), "truss-auth-pages-"))
          mkdirSync(join(dir, "auth"))
          writeFileSync(
            join(dir, "auth", "login.liquid"),
            `{% layout "auth/base.liquid" %}{% block content %}<h1>Welcome back to {{ site }}</h1><form method="post">{% csrf %}</form>{% endblock %}`,
          )
          const custom = pagesApp(db, mailer, { templates: dir })
          const login = await (await browser(custom).get("/accounts/login")).text()
          expect(login).toContain("<h1>Welcome back to Acme</h1>")
          expect(login).toContain('<link rel="stylesheet" href="/accounts/static/auth.css">')
          const reset = await (await browser(custom).get("/accounts/password/reset")).text()
          expect(reset).toContain("<h1>Reset your password</h1>")
        })
      })

      describe("authPages(): alert", () => {
        it("is shown for a lockout on the password-change form too", async () => {
          await createUser(db, { email: "guess@example.com", password: PASSWORD })
          const client = await signedIn("guess@example.com")
          const codes: (string | number)[] = []
          for (let i = 0; i < 4; i++) {
            const res = await submit(client, "/accounts/password/change", {
              current: "guess",
              password: "zebra crossing at night",
            })
            codes.push(res.status)
            if (res.status === 429) codes.push(alertIn(await res.text())?.[0] ?? "")
          }
          expect(codes).toEqual([422, 422, 422, 429, "TRUSS_ERR_AUTH_LOCKED_OUT"])
        })
      })
    },
  )
}
