/**
 * `/signup`: creates an account (normalized email, refused when taken; password run
 * through the validators, each refusal coded next to its field), logs it in and mails
 * an email-verification link.
 * @module
 */
import { z } from "zod"
import { form } from "../../forms/index.js"
import type { Blueprint, Context, Reply } from "../../kit.js"
import { ormErrors } from "../../orm/index.js"
import { authErrors } from "../errors.js"
import { safeNext } from "../guards.js"
import { createUser, login } from "../login.js"
import { normalizeEmail } from "../models.js"
import type { AuthUser } from "../user-model.js"
import type { PasswordProblem } from "../validators.js"
import { validatePassword } from "../validators.js"
import { authPageErrors } from "./errors.js"
import { sendLinkMail } from "./mail.js"
import type { Pages } from "./options.js"
import {
  type FieldProblem,
  failure,
  fieldsOf,
  formProblems,
  isJson,
  page,
  refuse,
} from "./respond.js"
import { userView } from "./users.js"

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const signupForm = form(
  z.object({
    email: z
      .string()
      .trim()
      .min(1, "Enter your email.")
      .regex(EMAIL, "Enter a valid email address."),
    password: z.string().min(1, "Choose a password."),
    confirm: z.string().optional(),
  }),
  { ignore: ["_csrf", "next"] },
)

const TAKEN: FieldProblem = {
  field: "email",
  code: "email_taken",
  message: "An account with this email already exists. Sign in, or reset your password.",
}

/** The validators' coded refusals of `password`, as field problems. */
export function passwordFieldProblems(
  password: string,
  owner: { email: string; username?: string | null | undefined },
  pages: Pages,
  field = "password",
): FieldProblem[] {
  try {
    validatePassword(password, owner, pages.validators)
    return []
  } catch (err) {
    if (!authErrors.PASSWORD_INVALID.is(err)) throw err
    const list = (err.extensions?.errors ?? []) as PasswordProblem[]
    return list.map((p) => ({ field, code: p.code, message: p.message }))
  }
}

/** The confirmation field, when sent, must repeat the password. */
export function confirmProblems(fields: URLSearchParams, password: string): FieldProblem[] {
  const confirm = fields.get("confirm")
  if (confirm === null || confirm === password) return []
  return [{ field: "confirm", code: "password_mismatch", message: "The two passwords differ." }]
}

async function signUp(c: Context, pages: Pages): Promise<Reply> {
  const fields = await fieldsOf(c)
  const next = safeNext(c, fields.get("next") ?? undefined, "")
  const email = normalizeEmail(fields.get("email") ?? "")
  const data = { values: { email }, next }
  const result = await signupForm.parse(fields)
  const problems = result.ok ? [] : formProblems(result.errors, fields)
  const password = fields.get("password") ?? ""
  if (password !== "") problems.push(...passwordFieldProblems(password, { email }, pages))
  problems.push(...confirmProblems(fields, password))
  if (problems.length === 0 && (await pages.db.query(pages.model).filter({ email }).exists())) {
    problems.push(TAKEN)
  }
  if (problems.length > 0) return refuse(c, pages.kit, "signup", problems, data)
  let user: AuthUser
  try {
    user = await createUser(pages.db, { email, password }, { model: pages.model })
  } catch (err) {
    // Two sign-ups with one email at once: the unique index refuses the second.
    if (ormErrors.INTEGRITY.is(err)) return refuse(c, pages.kit, "signup", [TAKEN], data)
    throw err
  }
  await login(c, user)
  await sendLinkMail(c, pages, "verify-email", user, pages.verify.make(user))
  const to = next || pages.redirectTo
  if (isJson(c)) return c.json({ user: userView(user), next: to }, 201)
  return c.redirect(to, 303)
}

/** Registers `GET/POST /signup`. @internal */
export function signupRoutes(bp: Blueprint, pages: Pages): void {
  bp.get("/signup", { name: "signup" }, (c) => {
    if (isJson(c)) return c.json({ csrfToken: c.csrfToken })
    return page(c, pages.kit, "signup", {
      values: { email: "" },
      next: safeNext(c, c.req.query.get("next") ?? undefined, ""),
    })
  })
  bp.post("/signup", (c) => signUp(c, pages))
}

/** With `signup: false`: `/signup` answers 404 TRUSS_ERR_AUTH_SIGNUP_DISABLED. @internal */
export function signupClosed(bp: Blueprint, pages: Pages): void {
  const closed = (c: Context) => failure(c, pages.kit, authPageErrors.SIGNUP_DISABLED())
  bp.get("/signup", { name: "signup" }, closed)
  bp.post("/signup", closed)
}
