/**
 * What `admin.register(Model, options)` accepts, typed against the model's fields.
 * @module
 */
import type { Context } from "../kit.js"
import type { AnyModel, Database, Row } from "../orm/index.js"
import type {
  FilterKey,
  FormField,
  ListColumn,
  OrderingKey,
  ScalarKey,
  SearchKey,
} from "./types.js"

/**
 * A sidebar filter on a text field: fixed `choices`, or (without them) the distinct
 * values the table holds, like Django's `AllValuesFieldListFilter`.
 * @example
 * ```ts
 * import type { ValuesFilter } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Ticket = model("ticket", { status: field.string(), team: field.string() })
 * const filters: ValuesFilter<typeof Ticket>[] = [{ field: "status", choices: ["open", "closed"] }, { field: "team" }]
 * ```
 */
export interface ValuesFilter<M> {
  /** The text field filtered on. */
  readonly field: ScalarKey<M>
  /** The values offered. @default the distinct values in the table (at most 200) */
  readonly choices?: readonly string[]
}

/**
 * A figure shown above a list (rows per state, say), linking to the list narrowed by `filter`.
 * @example
 * ```ts
 * import type { AdminSummaryItem } from "truss/admin"
 * const failed: AdminSummaryItem = { label: "failed", value: 3, filter: { state: "failed" } }
 * ```
 */
export interface AdminSummaryItem {
  readonly label: string
  readonly value: number
  /** The list's query parameters the figure links to. */
  readonly filter?: Readonly<Record<string, string>>
}

/**
 * How a read-only field shows on the change page: text, or `{ code }` for a
 * preformatted block (JSON, a stack trace). Escaped when rendered.
 * @example
 * ```ts
 * import type { ReadonlyFormat } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Event = model("event", { data: field.text() })
 * const pretty: ReadonlyFormat<typeof Event> = (row) => ({ code: JSON.stringify(JSON.parse(row.data), null, 2) })
 * ```
 */
export type ReadonlyFormat<M extends AnyModel> = (row: Row<M>) => string | { readonly code: string }

/**
 * A bulk action on the rows selected on the list page.
 * @example
 * ```ts
 * import type { AdminAction } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Post = model("post", { title: field.string(), published: field.boolean({ default: false }) })
 * const publish: AdminAction<typeof Post> = {
 *   name: "publish",
 *   label: "Publish selected posts",
 *   permission: "change",
 *   async run({ db, ids }) {
 *     const n = await db.query(Post).filter({ id: { in: ids } }).update({ published: true })
 *     return `${n} posts published.`
 *   },
 * }
 * ```
 */
export interface AdminAction<M extends AnyModel> {
  /** The value the form posts; letters, digits and `_`. */
  readonly name: string
  /** What the actions menu shows. */
  readonly label: string
  /** The model permission the action needs. @default "change" */
  readonly permission?: "view" | "add" | "change" | "delete"
  /** Runs the action; a returned string is shown as a success message. */
  // biome-ignore lint/suspicious/noConfusingVoidType: an action may return nothing
  run(input: {
    db: Database
    ids: Row<M>["id"][]
    c: Context
  }): string | undefined | void | Promise<string | undefined | void>
}

/**
 * A group of form fields with an optional title, like Django's fieldsets.
 * @example
 * ```ts
 * import type { Fieldset } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Post = model("post", { title: field.string() })
 * const main: Fieldset<typeof Post> = { title: "Main", fields: ["title"] }
 * ```
 */
export interface Fieldset<M> {
  /** The heading. */
  readonly title?: string
  /** A line under the heading. */
  readonly description?: string
  /** The fields, in order. */
  readonly fields: readonly FormField<M>[]
}

/**
 * Related rows edited on the parent's change page: the rows of `model` whose foreign
 * key `fk` points at the parent.
 * @example
 * ```ts
 * import { inline } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Order = model("order", { ref: field.string() })
 * const Line = model("orderLine", { order: field.foreignKey(() => Order), qty: field.integer() })
 * const lines = inline(Line, { fk: "order", fields: ["qty"], extra: 2 })
 * ```
 */
export interface InlineOptions<C extends AnyModel> {
  /** The foreign key of the inline model that points at the parent. @default the only one */
  readonly fk?: string
  /** The fields shown in each row. @default every scalar field and foreign key except `fk` */
  readonly fields?: readonly FormField<C>[]
  /** Blank rows offered for new related rows. @default 1 */
  readonly extra?: number
  /** The heading. @default the model's label, plural */
  readonly title?: string
}

/**
 * An inline, made by `inline(Model, options)`.
 * @example
 * ```ts
 * import { type Inline, inline } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Post = model("post", { title: field.string() })
 * const Note = model("note", { post: field.foreignKey(() => Post), body: field.string() })
 * const notes: Inline = inline(Note, { fields: ["body"] })
 * ```
 */
export interface Inline {
  readonly model: AnyModel
  readonly options: InlineOptions<AnyModel>
}

/**
 * Hooks run by the admin around its writes, with the request.
 * @example
 * ```ts
 * import type { AdminHooks } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Post = model("post", { title: field.string() })
 * const hooks: AdminHooks<typeof Post> = {
 *   beforeSave(values) {
 *     if (typeof values.title === "string") values.title = values.title.trim()
 *   },
 * }
 * ```
 */
export interface AdminHooks<M extends AnyModel> {
  /** Before a row is created or updated; may change `values`. Throw to refuse. */
  beforeSave?(
    values: Record<string, unknown>,
    info: { created: boolean; c: Context; row?: Row<M> },
  ): void | Promise<void>
  /** After a row is saved. */
  afterSave?(row: Row<M>, info: { created: boolean; c: Context }): void | Promise<void>
  /** Before a row is deleted. Throw to refuse. */
  beforeDelete?(row: Row<M>, info: { c: Context }): void | Promise<void>
  /** After a row is deleted. */
  afterDelete?(row: Row<M>, info: { c: Context }): void | Promise<void>
}

/**
 * Options of `admin.register(Model, options)`. Every field name is checked against
 * the model: a name it does not have is a type error (and, from JavaScript,
 * `TRUSS_ERR_ADMIN_UNKNOWN_FIELD` at registration).
 * @example
 * ```ts
 * import { createAdmin } from "truss/admin"
 * import { field, model } from "truss/orm"
 * const Author = model("author", { email: field.email() })
 * const Post = model("post", {
 *   title: field.string(),
 *   status: field.enum(["draft", "published"], { default: "draft" }),
 *   author: field.foreignKey(() => Author),
 * })
 * const admin = createAdmin()
 * admin.register(Post, {
 *   list: ["title", "status", "author.email"],
 *   search: ["title", "author.email"],
 *   filters: ["status", "author"],
 *   ordering: ["-id"],
 * })
 * ```
 */
export interface ModelAdminOptions<M extends AnyModel> {
  /** The list page's columns. @default the first five fields */
  readonly list?: readonly ListColumn<M>[]
  /** Columns that link to the change page. @default the first column */
  readonly listLinks?: readonly number[]
  /** Fields searched with a case-insensitive contains (across `author.email`). */
  readonly search?: readonly SearchKey<M>[]
  /** Sidebar filters: booleans, choices and enums, dates (ranges), foreign keys, text values. */
  readonly filters?: readonly (FilterKey<M> | ValuesFilter<M>)[]
  /** The list's default order. @default the model's ordering, then `-id` */
  readonly ordering?: readonly OrderingKey<M>[]
  /** Rows per page. @default 50 */
  readonly perPage?: number
  /** Fields shown but never written by the form. */
  readonly readonly?: readonly FormField<M>[]
  /** The form's fields. @default every scalar field, foreign key and many-to-many field */
  readonly fields?: readonly FormField<M>[]
  /** The form's fields in titled groups (instead of `fields`). */
  readonly fieldsets?: readonly Fieldset<M>[]
  /** Related rows edited on the change page. */
  readonly inlines?: readonly Inline[]
  /** Bulk actions besides "Delete selected". */
  readonly actions?: readonly AdminAction<M>[]
  /** Hooks around the admin's saves and deletes. */
  readonly hooks?: AdminHooks<M>
  /** How a row is named in titles, links and the log. @default the first string field, or `Label #id` */
  readonly display?: (row: Row<M>) => string
  /** The index section and URL segment the model shows under. @default the model's `app` */
  readonly app?: string
  /** The model's name in the admin (singular); also its URL segment. @default the model's label */
  readonly label?: string
  /** `false`: rows are shown, deleted and acted on, never added or edited in a form. @default true */
  readonly editable?: boolean
  /** Figures above the list, computed per request (`query` is the list's query string). */
  readonly summary?: (input: {
    db: Database
    c: Context
    query: URLSearchParams
  }) => readonly AdminSummaryItem[] | Promise<readonly AdminSummaryItem[]>
  /** How read-only fields show on the change page, by field. */
  readonly formats?: { readonly [K in FormField<M>]?: ReadonlyFormat<M> }
}
