/**
 * `/password/reset`: mails a signed, expiring, single-use link (the same answer
 * whether or not the account exists); `/password/reset/:token` sets a new password,
 * which ends every session and spends the link.
 * @module
 */
import { z } from "zod"
import { form } from "../../forms/index.js"
import type { Blueprint, Context, Reply } from "../../kit.js"
import { changePassword } from "../login.js"
import { normalizeEmail } from "../models.js"
import type { AuthUser } from "../user-model.js"
import { sendLinkMail } from "./mail.js"
import type { Pages } from "./options.js"
import { failure, fieldsOf, formProblems, isJson, page, refuse } from "./respond.js"
import { confirmProblems, passwordFieldProblems } from "./signup-routes.js"
import { userOfLink } from "./users.js"

const requestForm = form(z.object({ email: z.string().trim().min(1, "Enter your email.") }))

const SENT =
  "If an account uses this email, a link to choose a new password is on its way. Check your inbox (and the spam folder)."

async function request(c: Context, pages: Pages): Promise<Reply> {
  const fields = await fieldsOf(c)
  const result = await requestForm.parse(fields)
  const email = normalizeEmail(fields.get("email") ?? "")
  if (!result.ok) {
    const problems = formProblems(result.errors, fields)
    return refuse(c, pages.kit, "password-reset", problems, { values: { email } })
  }
  const user = (await pages.db.query(pages.model).filter({ email }).first()) as AuthUser | undefined
  // Like Django: only active users who have a password (not OIDC-only accounts).
  if (user?.isActive && user.password !== "") {
    // Not awaited: neither the time an SMTP send takes nor its failure may tell that
    // this account exists. A failure is logged.
    const token = pages.reset.make(user)
    sendLinkMail(c, pages, "password-reset", user, token, true).catch((err: unknown) =>
      c.log.error({ err, userId: user.id }, "the password-reset mail could not be sent"),
    )
  }
  if (isJson(c)) return c.json({ detail: SENT }, 202)
  return page(c, pages.kit, "password-reset-sent", { detail: SENT })
}

async function confirm(c: Context, pages: Pages, token: string): Promise<Reply> {
  let user: AuthUser
  try {
    user = await userOfLink(pages, pages.reset, token)
  } catch (err) {
    return failure(c, pages.kit, err, "link-invalid", { retry: pages.kit.urls.passwordReset })
  }
  const fields = await fieldsOf(c)
  const password = fields.get("password") ?? ""
  const problems =
    password === ""
      ? [{ field: "password", code: "required", message: "Choose a new password." }]
      : passwordFieldProblems(password, user, pages)
  problems.push(...confirmProblems(fields, password))
  if (problems.length > 0)
    return refuse(c, pages.kit, "password-reset-confirm", problems, { token })
  // No context: every session of the user ends, this browser's too; the link is spent.
  await changePassword(pages.db, user, password, undefined, { model: pages.model })
  // The link arrived by mail, which proves the address.
  if (!user.emailVerified) {
    await pages.db.query(pages.model).filter({ id: user.id }).update({ emailVerified: true })
  }
  if (isJson(c)) return c.json({ ok: true })
  return page(c, pages.kit, "password-reset-done")
}

/** Registers `GET/POST /password/reset` and `GET/POST /password/reset/:token`. @internal */
export function resetRoutes(bp: Blueprint, pages: Pages): void {
  bp.get("/password/reset", { name: "password.reset" }, (c) => {
    if (isJson(c)) return c.json({ csrfToken: c.csrfToken })
    return page(c, pages.kit, "password-reset", { values: { email: "" } })
  })
  bp.post("/password/reset", (c) => request(c, pages))
  bp.get("/password/reset/:token", { name: "password.reset.confirm" }, async (c) => {
    // The token is in the URL: never send it to another site as a Referer. Not
    // "no-referrer": that makes the form post's Origin "null", which csrf() refuses.
    c.header("referrer-policy", "same-origin")
    try {
      const user = await userOfLink(pages, pages.reset, c.params.token)
      if (isJson(c)) return c.json({ email: user.email, csrfToken: c.csrfToken })
      return page(c, pages.kit, "password-reset-confirm", { token: c.params.token })
    } catch (err) {
      return failure(c, pages.kit, err, "link-invalid", { retry: pages.kit.urls.passwordReset })
    }
  })
  bp.post("/password/reset/:token", (c) => {
    c.header("referrer-policy", "same-origin")
    return confirm(c, pages, c.params.token)
  })
}
