import { createClient } from "truss/testing"
import { describe, expect, expectTypeOf, it } from "vitest"
import { z } from "zod"
import { App } from "../kit.js"
import { form } from "./index.js"

function fields(pairs: [string, string | File][]): FormData {
  const data = new FormData()
  for (const [k, v] of pairs) data.append(k, v)
  return data
}

const Order = z.object({
  title: z.string().min(1, "Give the order a title."),
  rush: z.boolean(),
  count: z.number().int().min(1),
  note: z.string().optional(),
  tags: z.array(z.string()),
  items: z.array(
    z.object({ sku: z.string(), qty: z.number().int().positive("Quantity must be above 0.") }),
  ),
  address: z.object({ city: z.string(), zip: z.string().nullable() }),
})

describe("form(): parsing into the schema", () => {
  it("builds nested objects, arrays and coerced values from urlencoded fields", async () => {
    const body = new URLSearchParams(
      "title=Desk&rush=on&count=3&note=&tags=a&tags=b&items[1].sku=y&items[1].qty=2&items[0][sku]=x&items[0][qty]=1&address.city=Oslo&address.zip=&_csrf=tok&extra=1",
    )
    const result = await form(Order).parse(body)
    expect(result.ok).toBe(true)
    expect(result.data).toEqual({
      title: "Desk",
      rush: true,
      count: 3,
      tags: ["a", "b"],
      items: [
        { sku: "x", qty: 1 },
        { sku: "y", qty: 2 },
      ],
      address: { city: "Oslo", zip: null },
    })
    expectTypeOf(result.data).toEqualTypeOf<z.infer<typeof Order> | undefined>()
  })

  it("reads an absent checkbox as false and absent repeated names as an empty list", async () => {
    const result = await form(Order).parse(
      fields([
        ["title", "T"],
        ["count", "1"],
        ["address.city", "X"],
        ["address.zip", "1"],
      ]),
    )
    expect(result.ok && result.data).toEqual({
      title: "T",
      rush: false,
      count: 1,
      tags: [],
      items: [],
      address: { city: "X", zip: "1" },
    })
  })

  it("returns per-field errors by dotted path with the values to show again", async () => {
    const result = await form(Order).parse(
      new URLSearchParams("title=&count=abc&items[0].sku=x&items[0].qty=0&address.city=Oslo"),
    )
    expect(result.ok).toBe(false)
    expect({ ...result.errors }).toEqual({
      title: ["Give the order a title."],
      count: ["Invalid input: expected number, received string"],
      "items.0.qty": ["Quantity must be above 0."],
      "address.zip": ["Invalid input: expected string, received undefined"],
    })
    expect(result.values).toEqual({
      title: "",
      rush: false,
      count: "abc",
      note: "",
      tags: [],
      items: [{ sku: "x", qty: 0 }],
      address: { city: "Oslo", zip: "" },
    })
    expect(result.errors.rush).toEqual([])
    expect(Object.keys(result.errors)).toEqual(["title", "count", "items.0.qty", "address.zip"])
  })

  it("reports form-wide refinements under _form", async () => {
    const Pw = z
      .object({ password: z.string(), confirm: z.string() })
      .refine((v) => v.password === v.confirm, "The passwords differ.")
    const result = await form(Pw).parse(new URLSearchParams("password=a&confirm=b"))
    expect({ ...result.errors }).toEqual({ _form: ["The passwords differ."] })
  })

  it("takes the last value of a hidden+checkbox pair", async () => {
    const S = z.object({ on: z.boolean() })
    expect((await form(S).parse(new URLSearchParams("on=0&on=1"))).data).toEqual({ on: true })
    expect((await form(S).parse(new URLSearchParams("on=0"))).data).toEqual({ on: false })
    const bad = await form(S).parse(new URLSearchParams("on=maybe"))
    expect({ ...bad.errors }).toEqual({ on: ["Invalid input: expected boolean, received string"] })
  })

  it("ignores prototype keys and over-deep names", async () => {
    const S = z.object({ a: z.string().optional() }).passthrough()
    const result = await form(S).parse(
      new URLSearchParams(`__proto__[x]=1&constructor.prototype.y=2&${"a.".repeat(20)}b=3&a=ok`),
    )
    expect(result.data).toEqual({ a: "ok" })
    expect(({} as Record<string, unknown>).x).toBe(undefined)
  })

  it("decodes fields named like Object.prototype members as plain data", async () => {
    const S = z.looseObject({ toString: z.string(), valueOf: z.string() })
    const result = await form(S).parse(
      new URLSearchParams("toString=a&valueOf=b&hasOwnProperty=c&__proto__=d"),
    )
    expect(result.errors).toEqual({})
    expect(result.data).toEqual({ toString: "a", valueOf: "b", hasOwnProperty: "c" })
  })

  it("gives templates blank values and field descriptions before submission", () => {
    const state = form(
      z.object({
        title: z.string().max(80).meta({ title: "Headline" }),
        pinned: z.boolean(),
        kind: z.enum(["a", "b"]),
        dueOn: z.iso.date().optional(),
      }),
    ).initial({ title: "Draft" })
    expect(state.values).toEqual({ title: "Draft", pinned: false, kind: "", dueOn: "" })
    expect(
      state.fields.map((f) => [f.name, f.input, f.label, f.required, f.choices, f.value]),
    ).toEqual([
      ["title", "text", "Headline", true, [], "Draft"],
      ["pinned", "checkbox", "Pinned", true, [], false],
      ["kind", "select", "Kind", true, ["a", "b"], ""],
      ["dueOn", "date", "Due on", false, [], ""],
    ])
    expect(state.errors.title).toEqual([])
  })

  it("refuses something that is not a schema", () => {
    expect(() => form({} as never)).toThrow(
      "form(schema) needs a Standard Schema (zod 4, valibot, arktype, a truss/orm model or model.createSchema). Pass one of those.",
    )
  })
})

describe("form(): request bodies and files", () => {
  const Profile = z.object({
    name: z.string().min(1),
    avatar: z.instanceof(File).optional(),
    photos: z.array(z.instanceof(File)).optional(),
  })
  const profileForm = form(Profile, {
    files: { avatar: { maxSize: 10, types: ["image/*"] }, photos: { types: ["image/png"] } },
  })

  function app(): App {
    const a = new App({ logger: false })
    a.post("/profile", async (c) => {
      const result = await profileForm.parse(c)
      if (!result.ok) return c.json({ errors: result.errors, values: result.values }, 422)
      return c.json({
        name: result.data.name,
        avatar: result.data.avatar ? `${result.data.avatar.name}:${result.data.avatar.size}` : null,
        photos: result.data.photos?.map((p) => p.name) ?? null,
      })
    })
    return a
  }

  it("parses a multipart body with files within the limits", async () => {
    const res = await createClient(app()).form("/profile", {
      name: "Ada",
      avatar: new File(["12345"], "me.png", { type: "image/png" }),
      photos: [
        new File(["a"], "1.png", { type: "image/png" }),
        new File(["b"], "2.png", { type: "image/png" }),
      ],
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      name: "Ada",
      avatar: "me.png:5",
      photos: ["1.png", "2.png"],
    })
  })

  it("reports files over the size limit or of the wrong type as field errors", async () => {
    const res = await createClient(app()).form("/profile", {
      name: "Ada",
      avatar: new File(["12345678901"], "big.gif", { type: "text/plain" }),
      photos: [new File(["a"], "1.jpg", { type: "image/jpeg" })],
    })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      errors: {
        avatar: [
          "The file is 11 bytes; the limit is 10 bytes.",
          'Files of type "text/plain" are not accepted; send image/*.',
        ],
        photos: ['Files of type "image/jpeg" are not accepted; send image/png.'],
      },
      values: { name: "Ada", avatar: "", photos: [] },
    })
  })

  it("treats an empty file input as no file", async () => {
    const res = await createClient(app()).form("/profile", {
      name: "Ada",
      avatar: new File([], "", { type: "application/octet-stream" }),
    })
    expect(await res.json()).toEqual({ name: "Ada", avatar: null, photos: [] })
  })

  it("parses an urlencoded request body through the context", async () => {
    const res = await createClient(app()).form("/profile", { name: "" })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({
      errors: { name: ["Too small: expected string to have >=1 characters"] },
      values: { name: "", avatar: "", photos: [] },
    })
  })

  it("answers 415 for a JSON body", async () => {
    const res = await createClient(app()).post("/profile", { name: "Ada" })
    expect(res.status).toBe(415)
  })
})
