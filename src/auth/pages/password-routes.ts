/**
 * `/password/change`: a logged-in user, signed in recently (step-up), sets a new
 * password after giving the current one; this session stays, the others end.
 * @module
 */
import type { Blueprint, Context, Reply } from "../../kit.js"
import { authErrors } from "../errors.js"
import { changePassword } from "../login.js"
import { mfaErrors } from "../mfa/errors.js"
import { assertRecentLogin } from "../mfa/step-up.js"
import { verifyPassword } from "../passwords.js"
import type { AuthUser } from "../user-model.js"
import type { Pages } from "./options.js"
import { type FieldProblem, failure, fieldsOf, isJson, page, refuse } from "./respond.js"
import { confirmProblems, passwordFieldProblems } from "./signup-routes.js"
import { currentUser } from "./users.js"

/** Whether the session signed in within `maxAge` seconds (requireRecentLogin's check). */
function signedInRecently(c: Context, maxAge: number): boolean {
  try {
    assertRecentLogin(c, maxAge)
    return true
  } catch (err) {
    if (mfaErrors.MFA_STEP_UP_REQUIRED.is(err)) return false
    throw err
  }
}

/**
 * The user, or a redirect to the login page (browsers) when logged out or signed in
 * too long ago; API clients get 401 TRUSS_ERR_AUTH_LOGIN_REQUIRED or
 * TRUSS_ERR_AUTH_MFA_STEP_UP_REQUIRED.
 */
async function gate(
  c: Context,
  pages: Pages,
): Promise<{ user: AuthUser; reply?: undefined } | { user?: undefined; reply: Reply }> {
  const user = await currentUser(c, pages)
  const here = encodeURIComponent(pages.kit.urls.passwordChange!)
  if (user === undefined) {
    if (isJson(c)) throw authErrors.LOGIN_REQUIRED()
    return { reply: c.redirect(`${pages.kit.urls.login}?next=${here}`, 303) }
  }
  if (!signedInRecently(c, pages.stepUpMaxAge)) {
    if (isJson(c)) throw mfaErrors.MFA_STEP_UP_REQUIRED({ maxAge: pages.stepUpMaxAge })
    return { reply: c.redirect(`${pages.kit.urls.login}?next=${here}&reauth=1`, 303) }
  }
  return { user }
}

async function change(c: Context, pages: Pages, user: AuthUser): Promise<Reply> {
  const fields = await fieldsOf(c)
  const current = fields.get("current") ?? ""
  const password = fields.get("password") ?? ""
  try {
    await pages.throttle.check(c, user.email)
  } catch (err) {
    return failure(c, pages.kit, err, "password-change")
  }
  const problems: FieldProblem[] = []
  if (!(await verifyPassword(user.password, current))) {
    await pages.throttle.fail(c, user.email)
    problems.push({
      field: "current",
      code: "password_incorrect",
      message: "Your current password is wrong.",
    })
  }
  if (password === "") {
    problems.push({ field: "password", code: "required", message: "Choose a new password." })
  } else problems.push(...passwordFieldProblems(password, user, pages))
  problems.push(...confirmProblems(fields, password))
  if (problems.length > 0) return refuse(c, pages.kit, "password-change", problems)
  await changePassword(pages.db, user, password, c, { model: pages.model })
  if (isJson(c)) return c.json({ ok: true })
  return page(c, pages.kit, "password-change-done")
}

/** Registers `GET/POST /password/change`. @internal */
export function passwordRoutes(bp: Blueprint, pages: Pages): void {
  bp.get("/password/change", { name: "password.change" }, async (c) => {
    const { reply } = await gate(c, pages)
    if (reply !== undefined) return reply
    if (isJson(c)) return c.json({ csrfToken: c.csrfToken })
    return page(c, pages.kit, "password-change")
  })
  bp.post("/password/change", async (c) => {
    const { user, reply } = await gate(c, pages)
    return reply ?? change(c, pages, user)
  })
}
