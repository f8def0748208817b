import assert from "node:assert/strict"
import { test } from "node:test"
import { app } from "./app.js"

test("GET / says hello", async () => {
  const res = await app.request("/")
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { message: "Hello from __NAME__!" })
})

test("GET /hello/:name greets by name", async () => {
  const res = await app.request("/hello/Ada")
  assert.deepEqual(await res.json(), { message: "Hello, Ada!" })
})

test("GET /healthz answers while the app runs", async () => {
  const res = await app.request("/healthz")
  assert.deepEqual(await res.json(), { status: "ok" })
})
