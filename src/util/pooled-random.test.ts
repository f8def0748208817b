import { describe, expect, it } from "vitest"
import { newRequestId, randomString } from "./pooled-random.js"

describe("randomString", () => {
  it("encodes the asked number of fresh bytes, across refills of the pool", () => {
    const seen = new Set<string>()
    for (let i = 0; i < 600; i++) {
      const s = randomString(16, "hex")
      expect(s).toMatch(/^[0-9a-f]{32}$/)
      seen.add(s)
    }
    expect(seen.size).toBe(600)
    expect(randomString(16, "base64")).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(randomString(24, "base64url")).toMatch(/^[\w-]{32}$/)
  })
})

describe("newRequestId", () => {
  it("counts through a batch of 256 under one random prefix, then draws a new prefix", () => {
    const ids = Array.from({ length: 600 }, () => newRequestId())
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).toBe(600)
    // Wherever this test's ids start in a batch, a full batch of 256 lies within 600.
    const start = ids.findIndex((id) => id.endsWith("00"))
    const batch = ids.slice(start, start + 256)
    const prefix = batch[0]!.slice(0, 30)
    expect(batch.map((id) => id.slice(0, 30))).toEqual(Array(256).fill(prefix))
    expect(batch.map((id) => id.slice(30))).toEqual(
      Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0")),
    )
    expect(ids[start + 256]!.slice(0, 30)).not.toBe(prefix)
    expect(ids[start + 256]!.slice(30)).toBe("00")
  })
})
