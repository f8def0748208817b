/**
 * `/login` and `/logout`: the password sign-in form and endpoint (throttled per
 * account and per IP; a wrong password and an unknown email get the same answer) and
 * the sign-out confirmation.
 * @module
 */
import { z } from "zod"
import { form } from "../../forms/index.js"
import type { Blueprint, Context, Reply } from "../../kit.js"
import { authErrors } from "../errors.js"
import { safeNext } from "../guards.js"
import { authenticate, login, logout } from "../login.js"
import { startSecondFactor } from "../mfa/pending.js"
import type { Pages } from "./options.js"
import { failure, fieldsOf, formProblems, isJson, page, refuse } from "./respond.js"
import { currentUser, userView } from "./users.js"

const loginForm = form(
  z.object({
    email: z.string().trim().min(1, "Enter your email."),
    password: z.string().min(1, "Enter your password."),
  }),
  { ignore: ["_csrf", "next"] },
)

/** The `next` of a form post or query, when it stays on this site; "" otherwise. */
function nextOf(c: Context, fields?: URLSearchParams): string {
  return safeNext(c, fields?.get("next") ?? c.req.query.get("next") ?? undefined, "")
}

async function signIn(c: Context, pages: Pages): Promise<Reply> {
  const { kit, throttle } = pages
  const fields = await fieldsOf(c)
  const next = nextOf(c, fields)
  const email = (fields.get("email") ?? "").trim()
  const data = { values: { email }, next }
  const result = await loginForm.parse(fields)
  if (!result.ok) return refuse(c, kit, "login", formProblems(result.errors, fields), data)
  try {
    await throttle.check(c, email)
  } catch (err) {
    return failure(c, kit, err, "login", data)
  }
  const user = await authenticate(pages.db, email, result.data.password, { model: pages.model })
  if (user === undefined) {
    await throttle.fail(c, email)
    return failure(c, kit, authErrors.INVALID_CREDENTIALS(), "login", data)
  }
  if (pages.secondFactor !== undefined && (await pages.secondFactor(user))) {
    // Not logged in yet: the second-factor page finishes the sign-in.
    startSecondFactor(c, user)
    if (isJson(c)) return c.json({ secondFactor: true, next: pages.secondFactorUrl })
    return c.redirect(pages.secondFactorUrl, 303)
  }
  await login(c, user)
  const to = next || pages.redirectTo
  if (isJson(c)) return c.json({ user: userView(user), next: to })
  return c.redirect(to, 303)
}

/** Registers `GET/POST /login` and `GET/POST /logout`. @internal */
export function loginRoutes(bp: Blueprint, pages: Pages): void {
  const { kit } = pages
  bp.get("/login", { name: "login" }, async (c) => {
    if (isJson(c)) {
      const user = await currentUser(c, pages)
      return c.json({ csrfToken: c.csrfToken, user: user === undefined ? null : userView(user) })
    }
    const reauth = c.req.query.get("reauth") === "1"
    return page(c, kit, "login", { values: { email: "" }, next: nextOf(c), reauth })
  })
  bp.post("/login", (c) => signIn(c, pages))
  bp.get("/logout", { name: "logout" }, async (c) => {
    if (isJson(c)) return c.json({ csrfToken: c.csrfToken })
    const user = await currentUser(c, pages)
    if (user === undefined) return c.redirect(kit.urls.login!, 303)
    return page(c, kit, "logout", { email: user.email, redirectTo: pages.redirectTo })
  })
  bp.post("/logout", async (c) => {
    await logout(c)
    if (isJson(c)) return c.json({ user: null })
    return c.redirect(`${kit.urls.login}?signedOut=1`, 303)
  })
}
