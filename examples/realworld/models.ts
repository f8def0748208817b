import { field, model } from "truss/orm"

/** A Conduit user; the password is an argon2id hash (auth's `hashPassword`). */
export const User = model("user", {
  username: field.string({ max: 100, unique: true }),
  email: field.string({ max: 254, unique: true }),
  password: field.string({ max: 255 }),
  bio: field.text({ default: "" }),
  image: field.string({ max: 2000, default: "" }),
  followers: field.reverse(() => Follow, "followed"),
})

/** `follower` follows `followed`. */
export const Follow = model(
  "follow",
  {
    follower: field.foreignKey(() => User, { relatedName: "following" }),
    followed: field.foreignKey(() => User, { relatedName: "followers" }),
  },
  { constraints: [{ type: "unique", name: "follow_pair_key", fields: ["follower", "followed"] }] },
)

/** A tag, created on first use by an article. */
export const Tag = model(
  "tag",
  { name: field.string({ max: 100, unique: true }) },
  { ordering: ["name"] },
)

/** An article; its slug comes from the title. */
export const Article = model(
  "article",
  {
    slug: field.slug({ max: 255, unique: true }),
    title: field.string({ max: 255 }),
    description: field.text(),
    body: field.text(),
    author: field.foreignKey(() => User, { relatedName: "articles" }),
    tags: field.manyToMany(() => Tag, { relatedName: "articles" }),
    favorites: field.reverse(() => Favorite, "article"),
    createdAt: field.datetime({ default: "now" }),
    updatedAt: field.datetime({ default: "now", autoNow: true }),
  },
  // Lists are newest first: the index serves ORDER BY … LIMIT without sorting the table.
  { ordering: ["-createdAt", "-id"], indexes: [{ fields: ["createdAt"] }] },
)

/** `user` favorited `article`. */
export const Favorite = model(
  "favorite",
  {
    user: field.foreignKey(() => User, { relatedName: "favorites" }),
    article: field.foreignKey(() => Article, { relatedName: "favorites" }),
  },
  { constraints: [{ type: "unique", name: "favorite_pair_key", fields: ["user", "article"] }] },
)

/** A comment on an article. */
export const Comment = model(
  "comment",
  {
    body: field.text(),
    article: field.foreignKey(() => Article, { relatedName: "comments" }),
    author: field.foreignKey(() => User, { relatedName: "comments" }),
    createdAt: field.datetime({ default: "now" }),
    updatedAt: field.datetime({ default: "now", autoNow: true }),
  },
  { ordering: ["-createdAt", "-id"] },
)

/** Every model, for `truss makemigrations` and the tests. */
export const models = [User, Follow, Tag, Article, Favorite, Comment]
