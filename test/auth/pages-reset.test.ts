import type { App } from "truss"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { authModels, createUser, tokenSigner, User } from "../../src/auth/index.js"
import { createMailer, type Mailer, smtpTransport } from "../../src/mail/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import {
  alertIn,
  apiPost,
  browser,
  csrfIn,
  type MailSink,
  PASSWORD,
  pagesApp,
  SECRET,
  smtpSink,
  submit,
} from "./pages-app.js"

const SENT =
  "If an account uses this email, a link to choose a new password is on its way. Check your inbox (and the spam folder)."
const LINK =
  /http:\/\/localhost(\/accounts\/(?:password\/reset|verify)\/[\w-]+\.[\w-]+\.[\w-]+\.[\w-]+)/

const linkOf = (text: string | undefined): string => {
  const m = LINK.exec(text ?? "")
  if (m === null) throw new Error(`no link in ${text}`)
  return m[1]!
}

for (const target of await testDatabases()) {
  if (!["sqlite", "postgres", "mariadb"].includes(target.name)) continue
  describe.skipIf(!target.available)(
    `${target.name}: password reset and email verification by mail over SMTP`,
    () => {
      let db: Database
      let drop: () => Promise<void>
      let sink: MailSink
      let mailer: Mailer
      let app: App
      beforeAll(async () => {
        ;({ db, drop } = await target.open())
        await createTables(db, authModels)
        sink = await smtpSink()
        mailer = createMailer({ transport: smtpTransport({ host: "127.0.0.1", port: sink.port }) })
        app = pagesApp(db, mailer)
        await createUser(db, { email: "ann@example.com", password: PASSWORD })
      })
      afterAll(async () => {
        await mailer?.close()
        await sink?.close()
        await drop?.()
      })

      it("mails a reset link (exact headers and parts), which sets a new password once and ends every session", async () => {
        const phone = browser(app)
        expect(
          (await submit(phone, "/accounts/login", { email: "ann@example.com", password: PASSWORD }))
            .status,
        ).toBe(303)
        const client = browser(app)
        const asked = await submit(client, "/accounts/password/reset", { email: "Ann@Example.com" })
        expect(asked.status).toBe(200)
        expect(await asked.text()).toContain(`<p class="auth-success" id="auth-done">${SENT}</p>`)
        const mail = await sink.next()
        const got = sink.received.at(-1)!
        expect([got.from, got.to]).toEqual(["no-reply@acme.test", ["ann@example.com"]])
        expect(mail.subject).toBe("Reset your password on Acme")
        expect(mail.from?.text).toBe('"Acme" <no-reply@acme.test>')
        expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : undefined).toBe(
          "ann@example.com",
        )
        expect(mail.headers.get("x-truss-mail")).toBe("password-reset")
        expect((mail.headers.get("content-type") as { value: string }).value).toBe(
          "multipart/alternative",
        )
        expect(mail.attachments).toEqual([])
        const path = linkOf(mail.text)
        expect(path.startsWith("/accounts/password/reset/")).toBe(true)
        expect(mail.text).toBe(
          `Reset your password\n\nSomeone (hopefully you) asked to reset the password of the Acme account ann@example.com.\n\nChoose a new password: http://localhost${path}\n\nThe link works once, for 1 hour. If you did not ask for it, ignore this mail: your password stays the same.\n`,
        )
        expect(mail.html).toContain(`<a href="http://localhost${path}" style=`)
        expect(mail.html).toContain(
          '<h1 style="margin:0 0 16px;font-size:20px">Reset your password</h1>',
        )

        const form = await client.get(path)
        expect([form.status, form.headers.get("referrer-policy")]).toEqual([200, "same-origin"])
        const html = await form.text()
        expect(html).toContain(`<form method="post" action="${path}" class="auth-form">`)
        const weak = await client.form(path, {
          _csrf: csrfIn(html),
          password: "ann",
          confirm: "ann",
        })
        expect(weak.status).toBe(422)
        const set = await client.form(path, {
          _csrf: csrfIn(html),
          password: "a fresh new passphrase",
          confirm: "a fresh new passphrase",
        })
        expect(set.status).toBe(200)
        expect(await set.text()).toContain(
          "Your new password is set and every session was signed out.",
        )
        expect(
          await (await phone.get("/", { headers: { accept: "application/json" } })).json(),
        ).toEqual({ user: null })
        const old = await apiPost(createClient(app), "/accounts/login", {
          email: "ann@example.com",
          password: PASSWORD,
        })
        expect(old.status).toBe(401)
        const fresh = await apiPost(createClient(app), "/accounts/login", {
          email: "ann@example.com",
          password: "a fresh new passphrase",
        })
        expect(fresh.status).toBe(200)
        expect(
          (await db.query(User).filter({ email: "ann@example.com" }).get()).emailVerified,
        ).toBe(true)

        const again = await client.get(path)
        expect(again.status).toBe(400)
        const reused = await again.text()
        expect(alertIn(reused)).toEqual([
          "TRUSS_ERR_AUTH_LINK_USED",
          "This link was already used (or the account changed since it was sent). Ask for a new one.",
        ])
        expect(reused).toContain("<code>TRUSS_ERR_AUTH_LINK_USED</code>")
        const api = await apiPost(createClient(app), path, { password: "yet another passphrase" })
        expect(api.status).toBe(400)
        expect(await api.json()).toEqual({
          type: "about:blank",
          title: "Bad Request",
          status: 400,
          code: "TRUSS_ERR_AUTH_LINK_USED",
          detail:
            "This link was already used (or the account changed since it was sent). Ask for a new one.",
        })
      })

      it("spends a reset link when the user signs in after it was sent", async () => {
        await createUser(db, { email: "lea@example.com", password: PASSWORD })
        await submit(browser(app), "/accounts/password/reset", { email: "lea@example.com" })
        const path = linkOf((await sink.next()).text)
        expect((await browser(app).get(path)).status).toBe(200)
        // lastLogin is kept in whole seconds on some databases: sign in a second later.
        await new Promise((r) => setTimeout(r, 1100))
        const login = await submit(browser(app), "/accounts/login", {
          email: "lea@example.com",
          password: PASSWORD,
        })
        expect(login.status).toBe(303)
        const res = await browser(app).get(path)
        expect([res.status, alertIn(await res.text())?.[0]]).toEqual([
          400,
          "TRUSS_ERR_AUTH_LINK_USED",
        ])
      })

      it("refuses a tampered or expired link with its own code", async () => {
        const ann = await db.query(User).filter({ email: "ann@example.com" }).get()
        const signer = tokenSigner(SECRET, "password-reset", 3600)
        const good = signer.make(ann)
        const [id, issued, tag, sig] = good.split(".") as [string, string, string, string]
        const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1)
        const cases = {
          signature: `${id}.${issued}.${tag}.${flip(sig)}`,
          user: `${(ann.id + 1).toString(36)}.${issued}.${tag}.${sig}`,
          issued: `${id}.${(Number.parseInt(issued, 36) + 9999).toString(36)}.${tag}.${sig}`,
          cut: `${id}.${issued}.${tag}`,
          junk: "%3Cscript%3E",
          expired: signer.make(ann, Date.now() - 3601_000),
          otherPurpose: tokenSigner(SECRET, "verify-email", 3600).make(ann),
        }
        const codes: Record<string, [number, string | undefined]> = {}
        for (const [name, token] of Object.entries(cases)) {
          const res = await browser(app).get(`/accounts/password/reset/${token}`)
          codes[name] = [res.status, alertIn(await res.text())?.[0]]
        }
        const invalid: [number, string] = [400, "TRUSS_ERR_AUTH_LINK_INVALID"]
        expect(codes).toEqual({
          signature: invalid,
          user: invalid,
          issued: invalid,
          cut: invalid,
          junk: invalid,
          expired: [400, "TRUSS_ERR_AUTH_LINK_EXPIRED"],
          otherPurpose: invalid,
        })
        const ok = await browser(app).get(`/accounts/password/reset/${good}`)
        expect(ok.status).toBe(200)
      })

      it("answers an unknown email exactly like a known one, and sends nothing", async () => {
        const before = sink.received.length
        const unknown = await submit(browser(app), "/accounts/password/reset", {
          email: "nobody@example.com",
        })
        const known = await submit(browser(app), "/accounts/password/reset", {
          email: "ann@example.com",
        })
        const [a, b] = [await unknown.text(), await known.text()]
        expect([unknown.status, known.status]).toEqual([200, 200])
        expect(a).toContain(`<p class="auth-success" id="auth-done">${SENT}</p>`)
        expect(a).toBe(b)
        const api = await apiPost(createClient(app), "/accounts/password/reset", {
          email: "nobody@example.com",
        })
        expect([api.status, await api.json()]).toEqual([202, { detail: SENT }])
        // The known address's mail arrives; none was sent for the unknown one before it.
        await sink.next()
        expect(sink.received.slice(before).map((m) => m.to)).toEqual([["ann@example.com"]])
      })

      it("verifies the email of a new account through the mailed link, once", async () => {
        const client = browser(app)
        const res = await submit(client, "/accounts/signup", {
          email: "Vera@Example.com",
          password: "velvet morning light",
          confirm: "velvet morning light",
        })
        expect(res.status).toBe(303)
        const mail = await sink.next()
        expect([mail.subject, mail.headers.get("x-truss-mail")]).toEqual([
          "Confirm your email on Acme",
          "verify-email",
        ])
        const path = linkOf(mail.text)
        expect(mail.html).toContain(`<a href="http://localhost${path}" style=`)
        const page = await client.get(path)
        const html = await page.text()
        expect(html).toContain("Confirm that <strong>vera@example.com</strong> is your address.")
        expect(
          (await db.query(User).filter({ email: "vera@example.com" }).get()).emailVerified,
        ).toBe(false)
        const done = await client.form(path, { _csrf: csrfIn(html) })
        expect(done.status).toBe(200)
        expect(await done.text()).toContain("<strong>vera@example.com</strong> is confirmed.")
        expect(
          (await db.query(User).filter({ email: "vera@example.com" }).get()).emailVerified,
        ).toBe(true)
        const reused = await client.get(path)
        expect([reused.status, alertIn(await reused.text())?.[0]]).toEqual([
          400,
          "TRUSS_ERR_AUTH_LINK_USED",
        ])
        const resend = await apiPost(client, "/accounts/verify", {})
        expect([resend.status, await resend.json()]).toEqual([
          202,
          { email: "vera@example.com", emailVerified: true },
        ])
      })
    },
  )
}
