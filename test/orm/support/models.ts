import { field, model } from "../../../src/orm/index.js"

export const User = model("user", {
  username: field.string({ max: 50, unique: true }),
  email: field.email({ null: true }),
  karma: field.integer({ default: 0 }),
  articles: field.reverse(() => Article, "author"),
  edited: field.reverse(() => Article, "editor"),
})

export const Tag = model(
  "tag",
  { name: field.string({ max: 30, unique: true }), articles: field.reverse(() => Article, "tags") },
  { ordering: ["name"] },
)

export const Article = model(
  "article",
  {
    title: field.string({ max: 200 }),
    slug: field.slug({ unique: true }),
    body: field.text({ default: "" }),
    views: field.integer({ default: 0 }),
    rating: field.float({ null: true }),
    price: field.decimal({ precision: 8, scale: 2, default: "0.00" }),
    published: field.boolean({ default: false }),
    status: field.enum(["draft", "live"], { default: "draft" }),
    meta: field.json({ null: true }),
    day: field.date({ null: true }),
    createdAt: field.datetime({ default: "now" }),
    author: field.foreignKey(() => User, { onDelete: "cascade", relatedName: "articles" }),
    editor: field.foreignKey(() => User, {
      null: true,
      onDelete: "setNull",
      relatedName: "edited",
    }),
    tags: field.manyToMany(() => Tag, { relatedName: "articles" }),
  },
  { ordering: ["id"] },
)

export const MODELS = [User, Tag, Article]
