/**
 * `truss/admin`: Django's admin for Truss, generated from the models. Register models
 * (options typed against their fields), mount `admin.site({ db })` as a blueprint, and
 * staff users get an index, lists with search, filters, sorting, pagination and bulk
 * actions, add/change forms, delete confirmations listing cascades, and history.
 * Server-rendered LiquidJS templates, one stylesheet and one small script: no build step.
 * Work in progress: not yet a public subpath in package.json (see docs/admin.md).
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { adminModels, createAdmin } from "truss/admin"
 * import { auth, authModels } from "truss/auth"
 * import { connect, createTables, field, model } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const Post = model("post", { title: field.string(), published: field.boolean({ default: false }) }, { app: "blog" })
 * const db = await connect("sqlite::memory:")
 * await createTables(db, [...authModels, ...adminModels, Post])
 * const admin = createAdmin()
 * admin.register(Post, { list: ["title", "published"], search: ["title"], filters: ["published"] })
 * const app = new App().use(sessions({ secret: "a-32-character-secret-for-tests!!" }), auth({ db }))
 * app.register(admin.site({ db, prefix: "/admin" }))
 * ```
 * @module
 */
export { adminErrors } from "./errors.js"
export { adminModels, type FieldChange, LogEntry, type LogEntryRow } from "./log.js"
export type {
  AdminAction,
  AdminHooks,
  AdminSummaryItem,
  Fieldset,
  Inline,
  InlineOptions,
  ModelAdminOptions,
  ReadonlyFormat,
  ValuesFilter,
} from "./options.js"
export { Admin, type AdminSiteOptions, createAdmin, inline } from "./site.js"
export type {
  ColumnKey,
  ComputedColumn,
  FilterKey,
  ForeignKey,
  FormField,
  ListColumn,
  ManyKey,
  OrderingKey,
  RelatedKey,
  ScalarKey,
  SearchKey,
} from "./types.js"
