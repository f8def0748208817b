import { describe, expect, it } from "vitest"
import { encodePage, encodeVary, parseRecord } from "../../src/cache/http/page-record.js"
import { memoryStore } from "../../src/cache/index.js"

describe("cachePage records", () => {
  it("hold a text page as status, header lines and the body as it was", () => {
    const record = encodePage({
      status: 200,
      headers: [
        ["content-type", "application/json"],
        ["link", "</a>; rel=preload: yes"],
      ],
      body: '{"message":"a: b\\n\\nc"}',
    })
    expect(record).toBe(
      '200 text\ncontent-type: application/json\nlink: </a>; rel=preload: yes\n\n{"message":"a: b\\n\\nc"}',
    )
    expect(parseRecord(record as string)).toEqual({
      kind: "page",
      status: 200,
      headers: [
        ["content-type", "application/json"],
        ["link", "</a>; rel=preload: yes"],
      ],
      body: '{"message":"a: b\\n\\nc"}',
    })
  })

  it("hold bytes in base64 and a body that has newlines of its own", () => {
    const record = encodePage({ status: 200, headers: [], body: new Uint8Array([0, 10, 10, 255]) })
    expect(record).toBe("200 base64\n\nAAoK/w==")
    expect(parseRecord(record as string)).toEqual({
      kind: "page",
      status: 200,
      headers: [],
      body: new Uint8Array([0, 10, 10, 255]),
    })
    expect(parseRecord("200 text\n\n\n\nx: y\n")).toEqual({
      kind: "page",
      status: 200,
      headers: [],
      body: "\n\nx: y\n",
    })
  })

  it("are refused for headers that could not go on the wire, so no line is injected", () => {
    const page = (name: string, value: string) =>
      encodePage({ status: 200, headers: [[name, value]], body: "x" })
    expect(page("x-a", "1\r\nset-cookie: sid=evil")).toBeUndefined()
    expect(page("x-a", "1\nset-cookie: sid=evil")).toBeUndefined()
    expect(page("x-a", "nul\u0000")).toBeUndefined()
    expect(page("x-a", "snowman \u2603")).toBeUndefined()
    expect(page("x a", "1")).toBeUndefined()
    expect(page("x:a", "1")).toBeUndefined()
    expect(page("x-a", "caf\u00e9\tok")).toBe("200 text\nx-a: caf\u00e9\tok\n\nx")
  })

  it("mark the request headers a URL varies on", () => {
    expect(encodeVary(["accept-language", "x-tenant"])).toBe("vary accept-language,x-tenant")
    expect(parseRecord("vary accept-language,x-tenant")).toEqual({
      kind: "vary",
      names: ["accept-language", "x-tenant"],
    })
    expect(parseRecord("vary bad name")).toBeUndefined()
  })

  it("parse anything else as a miss", () => {
    expect(parseRecord('{"status":200,"headers":{},"body":"old format"}')).toBeUndefined()
    expect(parseRecord("200 text")).toBeUndefined()
    expect(parseRecord("200 text\nno-colon\n\nx")).toBeUndefined()
    expect(parseRecord("200 text\nx-a: 1")).toBeUndefined()
    expect(parseRecord("200 gzip\n\nx")).toBeUndefined()
    expect(parseRecord("999 text\n\nx")).toBeUndefined()
    expect(parseRecord("")).toBeUndefined()
  })

  it("are read-only once parsed, since hits share them", () => {
    const page = parseRecord("200 text\nx-a: 1\n\nx")
    expect(Object.isFrozen(page)).toBe(true)
    expect(page?.kind === "page" && Object.isFrozen(page.headers)).toBe(true)
  })
})

describe("memoryStore().peek", () => {
  it("reads synchronously and parses each written value once", async () => {
    const store = memoryStore()
    const seen: string[] = []
    const parse = (value: string) => {
      seen.push(value)
      return { value }
    }
    expect(store.peek("k", parse)).toBeUndefined()
    await store.set([["k", "one"]], 60_000)
    const first = store.peek("k", parse)
    expect(first).toEqual({ value: "one" })
    expect(store.peek("k", parse)).toBe(first)
    expect(store.peek("k", (value) => value.length)).toBe(3)
    await store.set([["k", "two"]], 60_000)
    expect(store.peek("k", parse)).toEqual({ value: "two" })
    expect(seen).toEqual(["one", "two"])
    await store.delete(["k"])
    expect(store.peek("k", parse)).toBeUndefined()
  })

  it("misses once the entry expired and keeps LRU order", async () => {
    const store = memoryStore({ maxEntries: 2 })
    await store.set([["gone", "x"]], 1)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(store.peek("gone", (v) => v)).toBeUndefined()
    expect(store.size).toBe(0)
    await store.set([["a", "1"]], 60_000)
    await store.set([["b", "2"]], 60_000)
    expect(store.peek("a", (v) => v)).toBe("1")
    await store.set([["c", "3"]], 60_000)
    expect(await store.get(["a", "b", "c"])).toEqual(["1", undefined, "3"])
  })
})
