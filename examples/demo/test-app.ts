import type { App } from "truss"
import { createMailer, type Mailer, memoryTransport } from "truss/mail"
import type { Database } from "truss/orm"
import { createClient, type TestClient } from "truss/testing"
import { expect, onTestFinished } from "vitest"
import { createApp, type DemoOptions } from "./app.js"
import { openDatabase } from "./database.js"

/** A password the validators accept. */
export const PASSWORD = "correct horse battery staple"

/**
 * The demo app on a fresh, migrated in-memory SQLite database (closed when the calling
 * test ends), with its mail in an in-memory outbox.
 */
export async function testApp(
  options: Omit<DemoOptions, "db"> = {},
): Promise<{ app: App; db: Database; outbox: ReturnType<typeof memoryTransport> }> {
  const db = await openDatabase("sqlite::memory:")
  onTestFinished(() => db.close())
  const outbox = memoryTransport()
  const mailer: Mailer = createMailer({ transport: outbox, from: "demo@localhost" })
  return { app: createApp({ mailer, origin: "http://localhost", ...options, db }), db, outbox }
}

/** {@link testApp}'s app alone. */
export async function demoApp(options: Omit<DemoOptions, "db"> = {}): Promise<App> {
  return (await testApp(options)).app
}

/** A client that signed up (and so is signed in) as `email`, through the JSON endpoint. */
export async function signedUp(app: App, email = "ann@example.com"): Promise<TestClient> {
  const client = createClient(app)
  const got = await client.get("/accounts/login", { headers: { accept: "application/json" } })
  const { csrfToken } = (await got.json()) as { csrfToken: string }
  const res = await client.post(
    "/accounts/signup",
    { email, password: PASSWORD },
    { headers: { "x-csrf-token": csrfToken } },
  )
  expect(res.status).toBe(201)
  return client
}
