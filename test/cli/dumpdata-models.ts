/** The models of the dumpdata/loaddata round trip: every field kind, a self reference and a many-to-many. */
import { field, model } from "../../src/orm/index.js"
export const Tag = model("dd_tag", { name: field.string({ max: 30, unique: true }) })
export const Item = model("dd_item", {
  title: field.text(),
  label: field.string({ max: 40, null: true }),
  count: field.integer({ default: 0 }),
  big: field.bigint(),
  ratio: field.float({ null: true }),
  price: field.decimal({ precision: 10, scale: 2 }),
  done: field.boolean({ default: false }),
  mail: field.email({ null: true }),
  site: field.url({ null: true }),
  slug: field.slug({ max: 40 }),
  ref: field.uuid(),
  day: field.date(),
  at: field.datetime(),
  opens: field.time(),
  data: field.json(),
  size: field.enum(["s", "m", "l"], { default: "m" }),
  blob: field.binary({ null: true }),
  parent: field.foreignKey("self", { null: true, onDelete: "setNull" }),
  tags: field.manyToMany(() => Tag),
})
export const models = [Item, Tag]
