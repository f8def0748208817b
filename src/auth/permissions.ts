/**
 * Permissions: codenames per model (`blog.change_post`), created after every
 * `migrate`, loaded per user through direct and group permissions, and an object-level
 * hook for rules that depend on the row (the author may edit their own post).
 * @module
 */
import { type AnyModel, allModels, type Database, onMigrated, sql } from "../orm/index.js"
import { Permission, type UserRow } from "./models.js"

/**
 * The four permissions every model gets.
 * @example
 * ```ts
 * import { MODEL_ACTIONS } from "truss/auth"
 * MODEL_ACTIONS.join(", ") // "add, change, delete, view"
 * ```
 */
export const MODEL_ACTIONS = ["add", "change", "delete", "view"] as const

/**
 * The user fields permission checks read (any user model has them).
 * @example
 * ```ts
 * import type { PermissionSubject } from "truss/auth"
 * const guest: PermissionSubject = { id: 0, isActive: false, isSuperuser: false }
 * ```
 */
export type PermissionSubject = Pick<UserRow, "id" | "isActive" | "isSuperuser">

/** The app label of a model, and its name without that prefix, lower-cased. */
function labels(m: AnyModel): { app: string; model: string } {
  const app = m.options.app ?? "app"
  const bare = m.name.startsWith(app) && m.name !== app ? m.name.slice(app.length) : m.name
  return { app, model: bare.toLowerCase() }
}

/**
 * The codename of a model action: `permissionCodename(Post, "change")` is
 * `"blog.change_post"` for `model("blogPost", …, { app: "blog" })`.
 * @example
 * ```ts
 * import { permissionCodename } from "truss/auth"
 * import { field, model } from "truss/orm"
 * const Post = model("blogPost", { title: field.string() }, { app: "blog" })
 * permissionCodename(Post, "change") // "blog.change_post"
 * ```
 */
export function permissionCodename(m: AnyModel, action: string): string {
  const { app, model } = labels(m)
  return `${app}.${action}_${model}`
}

/**
 * The permissions a model declares: add, change, delete, view, then its custom ones.
 * @example
 * ```ts
 * import { modelPermissions } from "truss/auth"
 * import { field, model } from "truss/orm"
 * const Post = model("post", { title: field.string() }, { app: "blog", permissions: [["publish_post", "Can publish posts"]] })
 * modelPermissions(Post).map((p) => p.codename).at(-1) // "blog.publish_post"
 * ```
 */
export function modelPermissions(m: AnyModel): { codename: string; name: string }[] {
  const { app, model } = labels(m)
  const label = m.options.label ?? model
  const base = MODEL_ACTIONS.map((a) => ({
    codename: `${app}.${a}_${model}`,
    name: `Can ${a} ${label}`,
  }))
  const custom = (m.options.permissions ?? []).map(([code, name]) => ({
    codename: code.includes(".") ? code : `${app}.${code}`,
    name,
  }))
  return [...base, ...custom]
}

/**
 * Creates the missing permissions of `models` (by default every model defined in this
 * process), skipping many-to-many link tables. Runs after every `migrate` once truss/auth
 * is imported, for the models whose tables the migrations describe. Returns how many it
 * created.
 * @example
 * ```ts
 * import { authModels, syncPermissions } from "truss/auth"
 * import { connect, createTables } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * await createTables(db, authModels)
 * await syncPermissions(db, authModels) // 12: add/change/delete/view of 3 models
 * ```
 */
export async function syncPermissions(
  db: Database,
  models: Iterable<AnyModel> = allModels(),
): Promise<number> {
  const wanted = new Map<string, string>()
  for (const m of models) {
    if (m.options.autoCreated) continue
    for (const p of modelPermissions(m)) wanted.set(p.codename, p.name)
  }
  const have = await db
    .query(Permission)
    .filter({ codename: { in: [...wanted.keys()] } })
    .all()
  for (const p of have) wanted.delete(p.codename)
  if (wanted.size === 0) return 0
  await db.query(Permission).bulkCreate([...wanted].map(([codename, name]) => ({ codename, name })))
  return wanted.size
}

/** After `migrate`: the permissions of the migrated models, once their table exists. */
onMigrated(async (db, { tables }) => {
  if (!tables.has(Permission.meta.table)) return
  await syncPermissions(
    db,
    [...allModels()].filter((m) => tables.has(m.meta.table)),
  )
})

/**
 * The codenames a user has through their own and their groups' permissions (one query);
 * a superuser has every permission, an inactive user none.
 * @example
 * ```ts
 * import { userPermissions } from "truss/auth"
 * // const codenames = await userPermissions(db, user) // Set { "blog.change_post" }
 * ```
 */
export async function userPermissions(
  db: Database,
  user: Pick<UserRow, "id" | "isActive" | "isSuperuser">,
): Promise<ReadonlySet<string>> {
  if (!user.isActive) return new Set()
  if (user.isSuperuser) {
    return new Set((await db.query(Permission).all()).map((p) => p.codename))
  }
  const rows = await db.execute<{ codename: string }>(sql`
    SELECT p.codename AS codename FROM auth_permission p
      JOIN auth_user_permissions up ON up.auth_permission_id = p.id
      WHERE up.auth_user_id = ${user.id}
    UNION
    SELECT p.codename AS codename FROM auth_permission p
      JOIN auth_group_permissions gp ON gp.auth_permission_id = p.id
      JOIN auth_user_groups ug ON ug.auth_group_id = gp.auth_group_id
      WHERE ug.auth_user_id = ${user.id}`)
  return new Set(rows.map((r) => r.codename))
}

/**
 * Decides a permission on one object; `undefined` defers to the model permission.
 * @example
 * ```ts
 * import type { ObjectPermissionRule } from "truss/auth"
 * const ownPost: ObjectPermissionRule<{ authorId: number }> = (user, post) =>
 *   post.authorId === user.id ? true : undefined
 * ```
 */
export type ObjectPermissionRule<T = never> = (
  user: PermissionSubject,
  obj: T,
) => boolean | undefined | Promise<boolean | undefined>

const rules = new Map<string, ObjectPermissionRule<unknown>[]>()

/**
 * Adds an object-level rule for `perm`, like django-rules: `hasPerm(user, perm, obj)`
 * is true when a rule returns true, false when one returns false, and otherwise falls
 * back to the user's model permission.
 * @example
 * ```ts
 * import { defineObjectPermission } from "truss/auth"
 * defineObjectPermission("blog.change_post", (user, post: { authorId: number }) =>
 *   post.authorId === user.id ? true : undefined,
 * )
 * ```
 */
export function defineObjectPermission<T>(perm: string, rule: ObjectPermissionRule<T>): void {
  const list = rules.get(perm) ?? []
  list.push(rule as ObjectPermissionRule<unknown>)
  rules.set(perm, list)
}

/**
 * Whether `user` has `perm` (on `obj`, when given): inactive users have none,
 * superusers have all, then object rules, then `granted` (the user's codenames).
 * @example
 * ```ts
 * import { hasPerm } from "truss/auth"
 * const user = { id: 1, isActive: true, isSuperuser: false }
 * await hasPerm(user, new Set(["blog.view_post"]), "blog.view_post") // true
 * ```
 */
export async function hasPerm(
  user: PermissionSubject,
  granted: ReadonlySet<string>,
  perm: string,
  obj?: unknown,
): Promise<boolean> {
  if (!user.isActive) return false
  if (user.isSuperuser) return true
  if (obj !== undefined) {
    for (const rule of rules.get(perm) ?? []) {
      const verdict = await rule(user, obj)
      if (verdict !== undefined) return verdict
    }
  }
  return granted.has(perm)
}
