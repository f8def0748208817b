/**
 * `/verify/:token`: the email-verification link (a signed token bound to the email
 * and its verified flag). The link shows a confirm button, so mail scanners that
 * prefetch links verify nothing; the POST sets `emailVerified`. `POST /verify` mails
 * a new link to the logged-in user.
 * @module
 */
import type { Blueprint, Context, Reply } from "../../kit.js"
import { authErrors } from "../errors.js"
import { sendLinkMail } from "./mail.js"
import type { Pages } from "./options.js"
import { failure, isJson, page } from "./respond.js"
import { currentUser, userOfLink } from "./users.js"

async function confirm(c: Context, pages: Pages, token: string): Promise<Reply> {
  try {
    const user = await userOfLink(pages, pages.verify, token)
    await pages.db.query(pages.model).filter({ id: user.id }).update({ emailVerified: true })
    if (isJson(c)) return c.json({ email: user.email, emailVerified: true })
    return page(c, pages.kit, "email-verified", { email: user.email })
  } catch (err) {
    return failure(c, pages.kit, err, "link-invalid", { retry: undefined })
  }
}

async function resend(c: Context, pages: Pages): Promise<Reply> {
  const user = await currentUser(c, pages)
  if (user === undefined) {
    if (isJson(c)) throw authErrors.LOGIN_REQUIRED()
    return c.redirect(pages.kit.urls.login!, 303)
  }
  if (!user.emailVerified)
    await sendLinkMail(c, pages, "verify-email", user, pages.verify.make(user))
  if (isJson(c)) return c.json({ email: user.email, emailVerified: user.emailVerified }, 202)
  return page(c, pages.kit, "verify-sent", { email: user.email, verified: user.emailVerified })
}

/** Registers `POST /verify` and `GET/POST /verify/:token`. @internal */
export function verifyRoutes(bp: Blueprint, pages: Pages): void {
  bp.post("/verify", { name: "verify" }, (c) => resend(c, pages))
  bp.get("/verify/:token", { name: "verify.confirm" }, async (c) => {
    c.header("referrer-policy", "same-origin")
    try {
      const user = await userOfLink(pages, pages.verify, c.params.token)
      if (isJson(c)) return c.json({ email: user.email, csrfToken: c.csrfToken })
      return page(c, pages.kit, "verify-confirm", { email: user.email, token: c.params.token })
    } catch (err) {
      return failure(c, pages.kit, err, "link-invalid", { retry: undefined })
    }
  })
  bp.post("/verify/:token", (c) => {
    c.header("referrer-policy", "same-origin")
    return confirm(c, pages, c.params.token)
  })
}
