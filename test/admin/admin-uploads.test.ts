import { App } from "truss"
import { memoryStore, sessions } from "truss/sessions"
import { createClient } from "truss/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { adminModels, createAdmin } from "../../src/admin/index.js"
import { auth, authModels, createUser } from "../../src/auth/index.js"
import { connect, createTables, type Database, field, model } from "../../src/orm/index.js"
import { csrfOf, PASSWORD } from "./fixture.js"

const Upload = model(
  "docsUpload",
  { name: field.string({ max: 50 }), data: field.binary({ null: true }) },
  { app: "docs" },
)

describe("binary fields are file uploads", () => {
  let db: Database
  let app: App
  beforeAll(async () => {
    db = await connect("sqlite::memory:")
    await createTables(db, [...authModels, ...adminModels, Upload])
    await createUser(db, {
      email: "root@example.com",
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    })
    app = new App({ logger: false })
    app.use(
      sessions({ secret: "admin-test-secret-admin-test-secret-0123", store: memoryStore() }),
      auth({ db }),
    )
    app.register(createAdmin().register(Upload).site({ db }))
  })
  afterAll(() => db.close())

  it("stores an uploaded file's bytes, and keeps them when the input is left empty", async () => {
    const client = createClient(app, { headers: { accept: "text/html" } })
    const login = await client.get("/admin/login")
    await client.form("/admin/login", {
      _csrf: csrfOf(await login.text()),
      email: "root@example.com",
      password: PASSWORD,
    })
    const add = await (await client.get("/admin/docs/upload/add")).text()
    expect(add).toContain('enctype="multipart/form-data"')
    expect(add).toContain('<input type="file" id="id_data" name="data">')
    const file = new File([new Uint8Array([1, 2, 3, 250])], "a.bin", {
      type: "application/octet-stream",
    })
    const res = await client.form("/admin/docs/upload/add", {
      _csrf: csrfOf(add),
      name: "first",
      data: file,
      _continue: "1",
    })
    expect(res.status).toBe(303)
    const row = await db.query(Upload).get({ name: "first" })
    expect([...(row.data ?? [])]).toEqual([1, 2, 3, 250])
    const change = await (await client.get(`/admin/docs/upload/${row.id}/change`)).text()
    expect(change).toContain("Stored: 4 bytes. Choose a file to replace it.")
    const empty = new File([], "", { type: "application/octet-stream" })
    const again = await client.form(`/admin/docs/upload/${row.id}/change`, {
      _csrf: csrfOf(change),
      name: "renamed",
      data: empty,
    })
    expect(again.status).toBe(303)
    const kept = await db.query(Upload).get({ id: row.id })
    expect([kept.name, [...(kept.data ?? [])]]).toEqual(["renamed", [1, 2, 3, 250]])
  })
})
