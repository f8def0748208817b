/**
 * The one documented way to add fields to the user: `defineUserModel({ … })` keeps the
 * default fields, table and relations, and `AuthTypes` makes `c.user` its row type.
 * @module
 */
import { type FieldMap, field, type Model, model, type Row } from "../orm/index.js"
import { Group, Permission, USER_OPTIONS, User, type UserRow } from "./models.js"

/**
 * Augment to type `c.user` as your user model's row:
 * `declare module "truss/auth" { interface AuthTypes { user: Row<typeof Member> } }`.
 * @example
 * ```ts
 * import type { AuthUser } from "truss/auth"
 * const email = (u: AuthUser) => u.email
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by applications
export interface AuthTypes {}

/**
 * The row type of the app's user model: the default `UserRow` unless {@link AuthTypes}
 * says otherwise.
 * @example
 * ```ts
 * import type { AuthUser } from "truss/auth"
 * const staff = (u: AuthUser) => u.isStaff
 * ```
 */
export type AuthUser = AuthTypes extends { user: infer U extends UserRow } ? U : UserRow

/**
 * A user model: the default fields, maybe with more.
 * @example
 * ```ts
 * import { type UserModel, User } from "truss/auth"
 * const model: UserModel = User
 * ```
 */
export type UserModel = Model<string, typeof User.fields, number>

/**
 * The default user model plus `extra` fields, on the same table (`auth_user`) and
 * relations, so migrations, permissions and the admin keep working.
 * @example
 * ```ts
 * import { defineUserModel } from "truss/auth"
 * import { field } from "truss/orm"
 * export const Member = defineUserModel({ displayName: field.string({ max: 80, default: "" }) })
 * ```
 */
export function defineUserModel<const E extends FieldMap>(extra: E) {
  return model(
    "authUser",
    {
      ...User.fields,
      groups: field.manyToMany(() => Group, { dbTable: "auth_user_groups" }),
      userPermissions: field.manyToMany(() => Permission, { dbTable: "auth_user_permissions" }),
      ...extra,
    },
    USER_OPTIONS,
  )
}

/**
 * The row of a model made by {@link defineUserModel}.
 * @example
 * ```ts
 * import { defineUserModel, type UserModelRow } from "truss/auth"
 * import { field } from "truss/orm"
 * const Member = defineUserModel({ bio: field.text({ default: "" }) })
 * const bio = (m: UserModelRow<typeof Member>) => m.bio
 * ```
 */
export type UserModelRow<M> = M extends Model<string, FieldMap, unknown> ? Row<M> : never
