/** Shared setup of the auth-pages tests: an app with the pages, clients, an SMTP server. */
import type { AddressInfo } from "node:net"
import { type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer } from "smtp-server"
import { App } from "truss"
import { csrf } from "truss/security"
import { memoryStore, sessions } from "truss/sessions"
import { createClient, type TestClient } from "truss/testing"
import { expect } from "vitest"
import { type AuthPagesOptions, auth, authPages, loginThrottle } from "../../src/auth/index.js"
import type { Mailer } from "../../src/mail/index.js"
import type { Database } from "../../src/orm/index.js"

export const SECRET = "auth-pages-test-secret-0123456789-abcdef"
export const PASSWORD = "a long enough passphrase"

/** An app with sessions, CSRF, auth() and the pages under /accounts. */
export function pagesApp(
  db: Database,
  mailer: Mailer,
  options: Partial<AuthPagesOptions> = {},
): App {
  const app = new App({ logger: false })
  app.use(
    sessions({ secret: SECRET, store: memoryStore() }),
    csrf(),
    auth({ db, loginUrl: "/accounts/login" }),
  )
  app.register(
    authPages({
      db,
      mailer,
      secret: SECRET,
      from: "Acme <no-reply@acme.test>",
      site: "Acme",
      baseUrl: "http://localhost",
      throttle: loginThrottle({ perAccount: 3, perIp: 50, window: 60 }),
      ...options,
    }),
  )
  app.get("/", (c) => ({ user: c.user?.email ?? null }))
  return app
}

/** A browser-like client: asks for HTML and keeps cookies. */
export function browser(app: App): TestClient {
  return createClient(app, { headers: { accept: "text/html,application/xhtml+xml" } })
}

/** The CSRF token of the first form in a page. */
export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html)
  if (m === null) throw new Error(`no CSRF field in: ${html.slice(0, 300)}`)
  return m[1]!
}

/** GETs a page, then submits its form with the page's CSRF token. */
export async function submit(
  client: TestClient,
  path: string,
  values: Record<string, string>,
  action = path,
): Promise<Response> {
  const page = await client.get(path)
  expect(page.status).toBe(200)
  return client.form(action, { ...values, _csrf: csrfIn(await page.text()) })
}

/** An API client: JSON in and out, the CSRF token (from a GET) in `x-csrf-token`. */
export async function apiPost(
  client: TestClient,
  path: string,
  body: Record<string, string>,
): Promise<Response> {
  // The session's CSRF token, from the login endpoint's JSON.
  const got = await client.get("/accounts/login", { headers: { accept: "application/json" } })
  const { csrfToken } = (await got.json()) as { csrfToken: string }
  return client.post(path, body, { headers: { "x-csrf-token": csrfToken } })
}

/** Field problems shown in a page: `[field, code, message]` in order. */
export function fieldErrorsIn(html: string): string[][] {
  const out: string[][] = []
  for (const block of html.matchAll(
    /<div class="auth-field-errors" id="(\w+)-error">(.*?)<\/div>/g,
  )) {
    for (const p of block[2]!.matchAll(/<p data-code="(\w+)">(.*?)<\/p>/g)) {
      out.push([block[1]!, p[1]!, p[2]!])
    }
  }
  return out
}

/** The alert a page shows: `[code, message]`, or undefined. */
export function alertIn(html: string): [string, string] | undefined {
  const m = /<div class="auth-alert" role="alert" data-code="(\w+)">(.*?)<\/div>/.exec(html)
  return m === null ? undefined : [m[1]!, m[2]!]
}

/** A real SMTP server on a loopback port that parses what it receives. */
export interface MailSink {
  readonly port: number
  readonly received: { parsed: ParsedMail; from: string; to: string[] }[]
  /** Resolves with the next mail received. */
  next(): Promise<ParsedMail>
  close(): Promise<void>
}

export async function smtpSink(): Promise<MailSink> {
  const received: MailSink["received"] = []
  const waiting: ((m: ParsedMail) => void)[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, cb) {
      simpleParser(stream).then((parsed) => {
        received.push({
          parsed,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
        })
        waiting.shift()?.(parsed)
        cb()
      }, cb)
    },
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
  const port = (server.server.address() as AddressInfo).port
  let seen = 0
  return {
    port,
    received,
    next() {
      const index = seen++
      const have = received[index]
      if (have !== undefined) return Promise.resolve(have.parsed)
      return new Promise((r) => waiting.push(r))
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
