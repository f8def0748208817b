/**
 * The auth models: the default `User`, `Group` and `Permission`, related many-to-many
 * (user ↔ group, user ↔ permission, group ↔ permission). Emails are stored normalized
 * (trimmed, lower-cased) so uniqueness is case-insensitive on every database without a
 * functional index.
 * @module
 */
import { field, model, type Row } from "../orm/index.js"

/**
 * A permission, codename `app.change_post` (`auth_permission`). `migrate` creates
 * `add`, `change`, `delete` and `view` for every model, and each model's custom ones.
 * @example
 * ```ts
 * import { Permission } from "truss/auth"
 * Permission.meta.table // "auth_permission"
 * ```
 */
export const Permission = model(
  "authPermission",
  {
    codename: field.string({ max: 200, unique: true }),
    name: field.string({ max: 255, default: "" }),
  },
  { table: "auth_permission", app: "auth", ordering: ["codename"], label: "permission" },
)

/**
 * A group of users sharing permissions (`auth_group`).
 * @example
 * ```ts
 * import { Group } from "truss/auth"
 * Group.meta.table // "auth_group"
 * ```
 */
export const Group = model(
  "authGroup",
  {
    name: field.string({ max: 150, unique: true }),
    permissions: field.manyToMany(() => Permission, { dbTable: "auth_group_permissions" }),
  },
  { table: "auth_group", app: "auth", ordering: ["name"], label: "group" },
)

/** The options of the default user model, shared with `defineUserModel()`. @internal */
export const USER_OPTIONS = { table: "auth_user", app: "auth", ordering: ["id"], label: "user" }

/**
 * The default user model (`auth_user`).
 * @example
 * ```ts
 * import { User } from "truss/auth"
 * User.meta.table // "auth_user"
 * ```
 */
export const User = model(
  "authUser",
  {
    email: field.string({ max: 254, unique: true }),
    username: field.string({ max: 150, null: true, unique: true }),
    password: field.string({ max: 255, default: "" }),
    isActive: field.boolean({ default: true }),
    isStaff: field.boolean({ default: false }),
    isSuperuser: field.boolean({ default: false }),
    emailVerified: field.boolean({ default: false }),
    lastLogin: field.datetime({ null: true }),
    dateJoined: field.datetime({ default: "now" }),
    groups: field.manyToMany(() => Group, { dbTable: "auth_user_groups" }),
    userPermissions: field.manyToMany(() => Permission, { dbTable: "auth_user_permissions" }),
  },
  USER_OPTIONS,
)

/**
 * A row of the default user model.
 * @example
 * ```ts
 * import type { UserRow } from "truss/auth"
 * const greet = (u: UserRow) => `Hello ${u.email}`
 * ```
 */
export type UserRow = Row<typeof User>

/**
 * Every auth model, to add to the models your migrations cover.
 * @example
 * ```ts
 * import { authModels } from "truss/auth"
 * import { defineConfig } from "truss/orm"
 * export default defineConfig({ database: "sqlite:app.db", models: [...authModels] })
 * ```
 */
export const authModels = [Permission, Group, User]

/**
 * The form an email is stored and compared in: trimmed and lower-cased.
 * @example
 * ```ts
 * import { normalizeEmail } from "truss/auth"
 * normalizeEmail(" Ann@Example.COM ") // "ann@example.com"
 * ```
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}
