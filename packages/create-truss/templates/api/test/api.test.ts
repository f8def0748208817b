import assert from "node:assert/strict"
import { test } from "node:test"
import { connect, createTables } from "truss/orm"
import { createApp } from "../src/api.js"
import { models } from "../src/models.js"

async function testApp() {
  const db = await connect("sqlite::memory:")
  await createTables(db, models)
  return createApp(db)
}

test("GET / lists the API's entry points", async () => {
  const app = await testApp()
  const res = await app.request("/")
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { name: "__NAME__", notes: "/notes", docs: "/docs" })
})

test("POST /notes validates, stores and GET /notes/:id returns the note", async () => {
  const app = await testApp()
  const bad = await app.request("/notes", { method: "POST", body: JSON.stringify({ title: "" }), headers: { "content-type": "application/json" } })
  assert.equal(bad.status, 422)
  const res = await app.request("/notes", {
    method: "POST",
    body: JSON.stringify({ title: "First" }),
    headers: { "content-type": "application/json" },
  })
  assert.equal(res.status, 201)
  assert.equal(res.headers.get("location"), "/notes/1")
  const shown = (await (await app.request("/notes/1")).json()) as Record<string, unknown>
  assert.deepEqual({ ...shown, createdAt: typeof shown.createdAt }, {
    id: 1,
    title: "First",
    body: "",
    done: false,
    createdAt: "string",
  })
  assert.equal((await app.request("/notes/2")).status, 404)
})

test("GET /readyz checks the database", async () => {
  const app = await testApp()
  const res = await app.request("/readyz")
  assert.deepEqual(await res.json(), { status: "ok", checks: { database: "ok" } })
})
