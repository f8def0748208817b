import { adminModels } from "truss/admin"
import { AuthSession, authModels, Passkey, TotpDeviceModel } from "truss/auth"
import { field, model } from "truss/orm"
import { TaskModel } from "./tasks/model.js"

/** A note of the notes API. */
export const NoteModel = model(
  "note",
  { text: field.text(), createdAt: field.datetime({ default: "now" }) },
  { ordering: ["id"] },
)

/** A tag that bookmarks share. */
export const TagModel = model("tag", { name: field.string({ max: 50, unique: true }) })

/** A saved link of the bookmarks API. `updatedAt` stays internal: no schema declares it. */
export const BookmarkModel = model(
  "bookmark",
  {
    url: field.url({ max: 2000 }),
    title: field.string({ max: 200 }),
    tags: field.manyToMany(() => TagModel),
    createdAt: field.datetime({ default: "now" }),
    updatedAt: field.datetime({ default: "now", autoNow: true }),
  },
  { ordering: ["id"] },
)

/** Every model of the demo (auth's included), for `truss makemigrations` and the tests. */
export const models = [
  ...authModels,
  ...adminModels,
  AuthSession,
  TotpDeviceModel,
  Passkey,
  TaskModel,
  NoteModel,
  TagModel,
  BookmarkModel,
]
