/**
 * The auth models: the default `User`, `Group` and `Permission` with their join tables.
 * Emails are stored normalized (trimmed, lower-cased) so uniqueness is case-insensitive
 * on every database without a functional index.
 * @module
 */
import { field, model, type Row } from "../orm/index.js"

/** The default user model (`auth_user`). */
export const User = model(
  "authUser",
  {
    email: field.string({ max: 254, unique: true }),
    username: field.string({ max: 150, null: true, unique: true }),
    password: field.string({ max: 255, default: "" }),
    isActive: field.boolean({ default: true }),
    isStaff: field.boolean({ default: false }),
    isSuperuser: field.boolean({ default: false }),
    lastLogin: field.datetime({ null: true }),
    dateJoined: field.datetime({ default: "now" }),
  },
  { table: "auth_user" },
)

/** A row of the default user model. */
export type UserRow = Row<typeof User>

/** A permission, codename `app.change_post` (`auth_permission`). */
export const Permission = model(
  "authPermission",
  {
    codename: field.string({ max: 200, unique: true }),
    name: field.string({ max: 255, default: "" }),
  },
  { table: "auth_permission" },
)

/** A group of users sharing permissions (`auth_group`). */
export const Group = model(
  "authGroup",
  { name: field.string({ max: 150, unique: true }) },
  { table: "auth_group" },
)

/** User ↔ group (`auth_user_group`). */
export const UserGroup = model(
  "authUserGroup",
  { userId: field.bigint(), groupId: field.bigint() },
  { table: "auth_user_group" },
)

/** User ↔ permission (`auth_user_permission`). */
export const UserPermission = model(
  "authUserPermission",
  { userId: field.bigint(), permissionId: field.bigint() },
  { table: "auth_user_permission" },
)

/** Group ↔ permission (`auth_group_permission`). */
export const GroupPermission = model(
  "authGroupPermission",
  { groupId: field.bigint(), permissionId: field.bigint() },
  { table: "auth_group_permission" },
)

/** Every auth model, to add to the models your migrations cover. */
export const authModels = [User, Permission, Group, UserGroup, UserPermission, GroupPermission]

/** The form an email is stored and compared in: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}
