import { adminModels } from "truss/admin"
import { AuthSession, authModels } from "truss/auth"
import { field, model } from "truss/orm"

/** A post on the home page: the table, the migration, the admin form and the row type. */
export const Post = model(
  "post",
  {
    title: field.string({ max: 200 }),
    body: field.text({ default: "" }),
    published: field.boolean({ default: false }),
    createdAt: field.datetime({ default: "now" }),
  },
  { ordering: ["-createdAt"] },
)

/** Every model (users, groups, sessions, the admin log); `truss makemigrations` reads it. */
export const models = [...authModels, ...adminModels, AuthSession, Post]
