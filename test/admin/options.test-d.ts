import { describe, expectTypeOf, it } from "vitest"
import {
  type ColumnKey,
  createAdmin,
  type FilterKey,
  type FormField,
  inline,
  type ModelAdminOptions,
  type SearchKey,
} from "../../src/admin/index.js"
import { field, model } from "../../src/orm/index.js"

const Author = model("tAuthor", { name: field.string(), email: field.email() })
const Tag = model("tTag", { name: field.string() })
const Post = model("tPost", {
  title: field.string(),
  views: field.integer({ default: 0 }),
  author: field.foreignKey(() => Author),
  tags: field.manyToMany(() => Tag),
})
const Line = model("tLine", { post: field.foreignKey(() => Post), body: field.string() })

describe("admin options are typed against the model's fields", () => {
  it("derives the keys of columns, search, filters and form fields", () => {
    expectTypeOf<ColumnKey<typeof Post>>().toEqualTypeOf<
      "id" | "title" | "views" | "author" | "author.id" | "author.name" | "author.email"
    >()
    expectTypeOf<SearchKey<typeof Post>>().toEqualTypeOf<
      "title" | "views" | "author.id" | "author.name" | "author.email"
    >()
    expectTypeOf<FilterKey<typeof Post>>().toEqualTypeOf<"title" | "views" | "author">()
    expectTypeOf<FormField<typeof Post>>().toEqualTypeOf<"title" | "views" | "author" | "tags">()
  })

  it("accepts real names and computed columns with a typed row", () => {
    const options: ModelAdminOptions<typeof Post> = {
      list: [
        "title",
        "author.email",
        { label: "Length", value: (row) => row.title.length, sortBy: "title" },
      ],
      search: ["title", "author.name"],
      filters: ["author"],
      ordering: ["-views", "author.email"],
      readonly: ["views"],
      fieldsets: [{ title: "Main", fields: ["title", "tags"] }],
      inlines: [inline(Line, { fields: ["body"] })],
      display: (row) => row.title,
    }
    createAdmin().register(Post, options)
  })

  it("rejects names the model does not have", () => {
    const admin = createAdmin()
    // @ts-expect-error: "titel" is not a field of Post
    admin.register(Post, { list: ["titel"] })
    // @ts-expect-error: Author has no "phone"
    admin.register(Post, { search: ["author.phone"] })
    // @ts-expect-error: a many-to-many field is not a filter
    admin.register(Post, { filters: ["tags"] })
    // @ts-expect-error: ordering by an unknown field
    admin.register(Post, { ordering: ["-nope"] })
    // @ts-expect-error: Line has no "title"
    inline(Line, { fields: ["title"] })
    // @ts-expect-error: the computed row has no "missing"
    admin.register(Post, { list: [{ label: "x", value: (row) => row.missing }] })
  })
})
