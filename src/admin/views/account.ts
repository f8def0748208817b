/**
 * The admin's login, logout and password-change pages, on `truss/auth`.
 * @module
 */
import {
  authenticate,
  changePassword,
  login,
  logout,
  passwordProblems,
  safeNext,
  verifyPassword,
} from "../../auth/index.js"
import { type Context, type Reply, SLOTS } from "../../kit.js"
import { adminErrors } from "../errors.js"
import { enter, page, type SiteState } from "./common.js"

function authModel(c: Context) {
  const state = c[SLOTS]?.auth
  if (state === undefined) throw adminErrors.AUTH_REQUIRED()
  return state.model
}

/** GET login: the form (a staff user already logged in goes to the index). */
export async function loginPage(c: Context, site: SiteState): Promise<Reply> {
  authModel(c)
  const next = safeNext(c, c.req.query.get("next") ?? undefined, `${site.prefix}/`)
  if (c.user?.isStaff && c.user.isActive) return c.redirect(next, 303)
  return page(c, site, "login.liquid", { title: "Log in", email: "", next, error: undefined })
}

/** POST login: checks the password; only active staff may log in here. */
export async function loginSubmit(c: Context, site: SiteState): Promise<Reply> {
  const model = authModel(c)
  const form = await c.req.form()
  const email = String(form.get("email") ?? "")
  const password = String(form.get("password") ?? "")
  const next = safeNext(c, String(form.get("next") ?? ""), `${site.prefix}/`)
  await site.throttle?.check(c, email)
  const user = await authenticate(site.db, email, password, { model })
  if (user === undefined || !user.isStaff) {
    if (user === undefined) await site.throttle?.fail(c, email)
    const error = "Enter the email and password of a staff account. Both may be case-sensitive."
    return page(c, site, "login.liquid", { title: "Log in", email, next, error }, 401)
  }
  await login(c, user)
  return c.redirect(next.startsWith(site.prefix) ? next : `${site.prefix}/`, 303)
}

/** POST logout. */
export async function logoutSubmit(c: Context, site: SiteState): Promise<Reply> {
  authModel(c)
  await logout(c)
  c.flash("success", "You are logged out.")
  return c.redirect(`${site.prefix}/login`, 303)
}

/** GET and POST password: the old password, then the new one twice. */
export async function passwordPage(c: Context, site: SiteState): Promise<Reply> {
  const denied = await enter(c, site)
  if (denied) return denied
  const user = c.user
  if (user === undefined) throw adminErrors.AUTH_REQUIRED()
  const crumbs = [{ label: "Home", url: `${site.prefix}/` }, { label: "Password change" }]
  const errors: Record<string, string[]> = {}
  if (c.req.method === "POST") {
    const form = await c.req.form()
    const old = String(form.get("old_password") ?? "")
    const next1 = String(form.get("new_password1") ?? "")
    const next2 = String(form.get("new_password2") ?? "")
    if (!(await verifyPassword(user.password, old)))
      errors.old_password = ["Your old password was entered incorrectly. Enter it again."]
    if (next1 !== next2) errors.new_password2 = ["The two password fields do not match."]
    const problems = passwordProblems(next1, user).map((p) => p.message)
    if (problems.length > 0) errors.new_password1 = problems
    if (Object.keys(errors).length === 0) {
      await changePassword(site.db, user, next1, c, { model: authModel(c) })
      c.flash("success", "Your password was changed.")
      return c.redirect(`${site.prefix}/`, 303)
    }
  }
  const status = Object.keys(errors).length > 0 ? 422 : 200
  return page(c, site, "password.liquid", { title: "Password change", crumbs, errors }, status)
}
