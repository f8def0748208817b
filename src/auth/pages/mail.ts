/**
 * The reset and verification mails: subject, HTML and text rendered from the
 * `auth/mail/*` templates (overridable like the pages), sent through truss/mail.
 * @module
 */
import type { Context } from "../../kit.js"
import type { AuthUser } from "../user-model.js"
import type { Pages } from "./options.js"

/** Which mail: the template names are `auth/mail/<kind>{-subject.txt,.html,.txt}.liquid`. */
export type MailKind = "password-reset" | "verify-email"

function originOf(c: Context, pages: Pages): string {
  if (pages.baseUrl !== undefined) return pages.baseUrl.replace(/\/+$/, "")
  return new URL(c.req.url).origin
}

/** "30 minutes", "1 hour", "72 hours". */
export function durationOf(seconds: number): string {
  if (seconds < 3600) {
    const m = Math.max(1, Math.round(seconds / 60))
    return m === 1 ? "1 minute" : `${m} minutes`
  }
  const h = Math.round(seconds / 3600)
  return h === 1 ? "1 hour" : `${h} hours`
}

/** The absolute link a mail carries. */
export function linkFor(c: Context, pages: Pages, kind: MailKind, token: string): string {
  const path = kind === "password-reset" ? pages.kit.urls.resetConfirm : pages.kit.urls.verify
  return `${originOf(c, pages)}${path}/${token}`
}

/** Renders and sends one mail to `user` (through `sendLater` when `later`). */
export async function sendLinkMail(
  c: Context,
  pages: Pages,
  kind: MailKind,
  user: AuthUser,
  token: string,
  later = false,
): Promise<void> {
  const maxAge = kind === "password-reset" ? pages.resetMaxAge : pages.verifyMaxAge
  const data = {
    site: pages.kit.site,
    email: user.email,
    link: linkFor(c, pages, kind, token),
    duration: durationOf(maxAge),
  }
  const { engine } = pages.kit
  const [subject, html, text] = await Promise.all([
    engine.render(`auth/mail/${kind}-subject.txt.liquid`, data),
    engine.render(`auth/mail/${kind}.html.liquid`, data),
    engine.render(`auth/mail/${kind}.txt.liquid`, data),
  ])
  const send = later ? pages.mailer.sendLater : pages.mailer.send
  await send({
    to: user.email,
    ...(pages.from === undefined ? {} : { from: pages.from }),
    subject: subject.replace(/\s+/g, " ").trim(),
    html,
    text: `${text.trim()}\n`,
    headers: { "X-Truss-Mail": kind },
  })
}
