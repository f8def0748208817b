import { field, model } from "truss/orm"

/** A note: the table, the migration, the row type and the validation all come from here. */
export const Note = model("note", {
  title: field.string({ max: 200 }),
  body: field.text({ default: "" }),
  done: field.boolean({ default: false }),
  createdAt: field.datetime({ default: "now" }),
})

/** Every model; `truss makemigrations` compares these with migrations/. */
export const models = [Note]
