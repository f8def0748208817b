import { describe, expect, it } from "vitest"
import { connect, createTables, field, model } from "./index.js"

const Author = model("author", { name: field.string({ max: 20 }) })
const Post = model(
  "post",
  {
    title: field.string({ max: 10, label: "Title", help: "Short" }),
    email: field.email({ null: true }),
    site: field.url({ null: true }),
    code: field.uuid({ null: true }),
    score: field.integer({ default: 0, min: 0, max: 10 }),
    big: field.bigint({ default: 0n }),
    price: field.decimal({ precision: 5, scale: 2, null: true }),
    at: field.datetime({ default: "now" }),
    updatedAt: field.datetime({ autoNow: true }),
    kind: field.enum(["a", "b"], { default: "a" }),
    blob: field.binary({ null: true }),
    time: field.time({ null: true }),
    author: field.foreignKey(() => Author),
  },
  {
    clean: (v) => (v.title === "forbidden" ? { title: "This title is reserved." } : undefined),
    hooks: {
      beforeSave(values) {
        if (typeof values.title === "string") values.title = values.title.trim()
      },
    },
  },
)

describe("model schemas", () => {
  it("validates create input through Standard Schema with per-field issues", async () => {
    const result = await Post.createSchema["~standard"].validate({
      title: "a very long title",
      email: "nope",
      site: "javascript:alert(1)",
      code: "x",
      score: 11,
      price: "1.234",
      author: 1,
    })
    expect(result.issues).toEqual([
      { message: 'Unknown field "author".', path: ["author"] },
      { message: "Must be at most 10 characters.", path: ["title"] },
      { message: "Must be a valid email address.", path: ["email"] },
      { message: "Must be a valid http(s) URL.", path: ["site"] },
      { message: "Must be a UUID.", path: ["code"] },
      { message: "Must be at most 10.", path: ["score"] },
      { message: "Must have at most 2 decimal places.", path: ["price"] },
      { message: "This field is required.", path: ["authorId"] },
    ])
  })

  it("returns normalized values (ISO strings become Dates) for valid input", async () => {
    const result = await Post.createSchema["~standard"].validate({
      title: "Hi",
      authorId: 1,
      at: "2024-01-01T00:00:00Z",
      big: 5,
    })
    expect(result).toEqual({
      value: { title: "Hi", authorId: 1, at: new Date("2024-01-01T00:00:00Z"), big: 5n },
    })
    const update = await Post.updateSchema["~standard"].validate({ score: 3 })
    expect(update).toEqual({ value: { score: 3 } })
  })

  it("emits JSON Schema for create input", () => {
    expect(Author.jsonSchema("create")).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      title: "author.create",
      type: "object",
      properties: { id: { type: "integer" }, name: { type: "string", maxLength: 20 } },
      required: ["name"],
      additionalProperties: false,
    })
    const props = Post.jsonSchema("row").properties as Record<string, unknown>
    expect(props.title).toEqual({
      type: "string",
      maxLength: 10,
      title: "Title",
      description: "Short",
    })
    expect(props.email).toEqual({ type: ["string", "null"], format: "email", maxLength: 254 })
    expect(props.kind).toEqual({ type: "string", enum: ["a", "b"] })
    expect(props.at).toEqual({ type: "string", format: "date-time" })
  })

  it("rejects invalid model names with a coded error", () => {
    expect(() => model("bad name", {})).toThrow(
      "Model bad name is invalid: the name must be a plain identifier.",
    )
    expect(() => model("ok", { id: field.integer() })).toThrow(
      'Model ok is invalid: field "id" must be an identifier other than "id" (id is automatic).',
    )
  })
})

describe("hooks and clean on SQLite", () => {
  it("runs clean() and beforeSave, fills autoNow and defaults, stores bigint and binary", async () => {
    const db = await connect("sqlite::memory:")
    await createTables(db, [Author, Post])
    const author = await db.query(Author).create({ name: "a" })
    await expect(
      db.query(Post).create({ title: "forbidden", authorId: author.id }),
    ).rejects.toMatchObject({
      extensions: { errors: [{ field: "title", message: "This title is reserved." }] },
    })
    const post = await db.query(Post).create({
      title: "  Hi  ",
      authorId: author.id,
      big: 9007199254740993n,
      blob: new Uint8Array([1, 2]),
      time: "10:30",
    })
    expect(post.title).toBe("Hi")
    expect(post.big).toBe(9007199254740993n)
    expect(post.blob).toEqual(Buffer.from([1, 2]))
    expect(post.updatedAt).toBeInstanceOf(Date)
    expect([post.kind, post.score, post.time]).toEqual(["a", 0, "10:30:00"])
    await db.close()
  })
})
