import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Reassembler, splitBytes } from "./chunks.js"

describe("splitBytes", () => {
  it("splits into pieces of at most max bytes that join back to the text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 400 }),
        fc.integer({ min: 4, max: 50 }),
        (text, max) => {
          const pieces = splitBytes(text, max)
          expect(pieces.join("")).toBe(text)
          for (const p of pieces) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(max)
        },
      ),
    )
  })

  it("never cuts a surrogate pair", () => {
    expect(splitBytes("a😀😀", 5)).toEqual(["a😀", "😀"])
    expect(splitBytes("", 10)).toEqual([""])
  })
})

describe("Reassembler", () => {
  it("returns the whole text once every piece arrived, in any order", () => {
    const r = new Reassembler()
    expect(r.add("m1", 1, 3, "b")).toBe(undefined)
    expect(r.add("m1", 2, 3, "c")).toBe(undefined)
    expect(r.add("m1", 0, 3, "a")).toBe("abc")
    expect(r.pending).toBe(0)
  })

  it("drops a message left incomplete past its TTL", () => {
    const r = new Reassembler(1000)
    r.add("old", 0, 2, "x", 0)
    r.add("new", 0, 2, "y", 5000)
    expect(r.pending).toBe(1)
    expect(r.add("new", 1, 2, "z", 5001)).toBe("yz")
  })
})
