import { connect, createTables, type Database, field, model } from "truss/orm"
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest"
import { form } from "./index.js"

const Book = model("form_book", {
  title: field.string({ max: 20 }),
  pages: field.integer(),
  inPrint: field.boolean({ default: true }),
  subtitle: field.string({ null: true }),
  genre: field.enum(["novel", "essay"], { default: "novel" }),
})

let db: Database
beforeAll(async () => {
  db = await connect("sqlite::memory:")
  await createTables(db, [Book])
})
afterAll(() => db.close())

describe("form(model): truss/orm model schemas", () => {
  it("coerces the fields with the model's JSON Schema and saves the typed data", async () => {
    const result = await form(Book).parse(
      new URLSearchParams("title=Dune&pages=412&subtitle=&genre=novel&_csrf=x"),
    )
    expect(result.ok).toBe(true)
    expect(result.data).toEqual({
      title: "Dune",
      pages: 412,
      inPrint: false,
      subtitle: null,
      genre: "novel",
    })
    if (!result.ok) return
    const saved = await db.query(Book).create(result.data)
    expect(await db.query(Book).get({ id: saved.id })).toEqual({ id: saved.id, ...result.data })
  })

  it("returns the model's field errors", async () => {
    const result = await form(Book).parse(
      new URLSearchParams("title=A+title+far+too+long+for+it&pages=many"),
    )
    expect(result.ok).toBe(false)
    expect(Object.keys(result.errors).sort()).toEqual(["pages", "title"])
    expect(result.values.pages).toBe("many")
  })

  it("validates update input with every field optional", async () => {
    const update = form(Book, { mode: "update" })
    const result = await update.parse(new URLSearchParams("pages=99"))
    expect(result.data).toEqual({ pages: 99, inPrint: false })
    expectTypeOf(update.parse).returns.resolves.toHaveProperty("data")
  })

  it("never reads the primary key from the body, and honours fields and exclude", async () => {
    const result = await form(Book).parse(new URLSearchParams("id=7&title=T&pages=1"))
    expect(result.data).toEqual({ title: "T", pages: 1, inPrint: false })
    const narrow = form(Book, { mode: "update", fields: ["title", "pages"], exclude: ["pages"] })
    expect((await narrow.parse(new URLSearchParams("title=U&pages=2&inPrint=on"))).data).toEqual({
      title: "U",
    })
  })

  it("describes the model's fields for generic templates", () => {
    expect(
      form(Book)
        .initial()
        .fields.map((f) => [f.name, f.input, f.required]),
    ).toEqual([
      ["title", "text", true],
      ["pages", "number", true],
      ["inPrint", "checkbox", false],
      ["subtitle", "text", false],
      ["genre", "select", false],
    ])
  })
})
