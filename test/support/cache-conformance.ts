import { describe, expect, it } from "vitest"
import { Cache, type CacheStore } from "../../src/cache/index.js"

/**
 * The tests every CacheStore passes through the Cache facade. `make` returns a fresh,
 * isolated store (own Redis prefix, own schema) for each test.
 */
export function cacheConformance(name: string, make: () => Promise<CacheStore> | CacheStore): void {
  describe(`cache conformance: ${name}`, () => {
    const cache = async () => new Cache({ store: await make() })

    it("round-trips JSON, Date and bytes exactly", async () => {
      const c = await cache()
      const value = {
        n: 1.5,
        s: "é",
        nil: null,
        list: [true, { d: new Date("2026-01-02T03:04:05.678Z") }],
        bytes: new Uint8Array([0, 1, 254, 255]),
        buf: Buffer.from("hi"),
        tricky: { "$t:date": "not a date" },
      }
      await c.set("v", value, 60)
      expect(await c.get("v")).toEqual({
        ...value,
        buf: new Uint8Array([104, 105]),
      })
      const back = await c.get<typeof value>("v")
      expect(back?.list[1]).toEqual({ d: new Date("2026-01-02T03:04:05.678Z") })
      expect(back?.tricky).toEqual({ "$t:date": "not a date" })
    })

    it("get, has and delete", async () => {
      const c = await cache()
      expect(await c.get("missing")).toBe(undefined)
      expect(await c.has("missing")).toBe(false)
      await c.set("null", null, 60)
      expect(await c.has("null")).toBe(true)
      expect(await c.get("null")).toBe(null)
      await c.delete("null")
      expect(await c.has("null")).toBe(false)
    })

    it("getMany and setMany keep order and report misses", async () => {
      const c = await cache()
      await c.setMany({ a: 1, b: "two", "GET /p\u0000en": "nul" }, 60)
      expect(await c.getMany(["b", "x", "a", "GET /p\u0000en"])).toEqual([
        "two",
        undefined,
        1,
        "nul",
      ])
      await c.delete(["a", "b"])
      expect(await c.getMany(["a", "b"])).toEqual([undefined, undefined])
    })

    it("expires entries after their TTL", async () => {
      const c = await cache()
      await c.set("short", "x", 0.3)
      expect(await c.get("short")).toBe("x")
      await new Promise((r) => setTimeout(r, 400))
      expect(await c.get("short")).toBe(undefined)
    })

    it("remember runs fn once for 100 concurrent misses", async () => {
      const c = await cache()
      let calls = 0
      const results = await Promise.all(
        Array.from({ length: 100 }, () =>
          c.remember("hot", 60, async () => {
            calls++
            await new Promise((r) => setTimeout(r, 20))
            return { at: new Date(0) }
          }),
        ),
      )
      expect(calls).toBe(1)
      expect(results.every((r) => r.at.getTime() === 0)).toBe(true)
      expect(await c.get("hot")).toEqual({ at: new Date(0) })
      expect(await c.remember("hot", 60, () => ({ at: new Date(1) }))).toEqual({ at: new Date(0) })
    })

    it("two facades on one store (two processes) compute once through the store lock", async () => {
      const store = await make()
      const one = new Cache({ store })
      const two = new Cache({ store })
      let calls = 0
      const fn = async () => {
        calls++
        await new Promise((r) => setTimeout(r, 100))
        return "computed"
      }
      const results = await Promise.all([one.remember("k", 60, fn), two.remember("k", 60, fn)])
      expect(calls).toBe(1)
      expect(results).toEqual(["computed", "computed"])
      // The lock is released: a fresh key locks again at once.
      expect(await store.lock?.("other", 1000)).toBe(true)
      expect(await store.lock?.("other", 1000)).toBe(false)
      await store.unlock?.("other")
      expect(await store.lock?.("other", 1000)).toBe(true)
    })

    it("an expired lock can be taken again", async () => {
      const store = await make()
      // Long enough that a loaded database answers the second call before it expires.
      expect(await store.lock?.("l", 300)).toBe(true)
      expect(await store.lock?.("l", 300)).toBe(false)
      await new Promise((r) => setTimeout(r, 400))
      expect(await store.lock?.("l", 300)).toBe(true)
    })

    it("clear() empties the store and reports how many entries it removed", async () => {
      const store = await make()
      const c = new Cache({ store })
      await c.setMany({ a: 1, b: 2, c: 3 }, 60)
      expect(await store.clear?.()).toBe(3)
      expect(await c.getMany(["a", "b", "c"])).toEqual([undefined, undefined, undefined])
      expect(await store.clear?.()).toBe(0)
    })

    it("overwrites a key, renewing its TTL", async () => {
      const c = await cache()
      await c.set("k", "old", 0.05)
      await c.set("k", "new", 60)
      await new Promise((r) => setTimeout(r, 100))
      expect(await c.get("k")).toBe("new")
    })

    it("namespaces isolate keys and tags flush in one call", async () => {
      const c = await cache()
      await c.namespace("a").set("k", 1, 60)
      await c.namespace("b").set("k", 2, 60)
      expect(await c.namespace("a").get("k")).toBe(1)
      expect(await c.get("k")).toBe(undefined)
      await c.tags("posts").set("feed", [1], 60)
      await c.tags("posts", "users").set("mix", [2], 60)
      await c.tags("users").set("u", [3], 60)
      await c.flushTags("posts")
      expect(await c.tags("posts").get("feed")).toBe(undefined)
      expect(await c.tags("posts", "users").get("mix")).toBe(undefined)
      expect(await c.tags("users").get("u")).toEqual([3])
    })
  })
}
