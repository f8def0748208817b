/**
 * How the auth pages answer: an HTML page from a template for browsers, JSON for API
 * clients (a JSON body, or an `Accept` that prefers JSON), and one shape of field
 * errors for both.
 * @module
 */
import { type Context, type Reply, TrussError, wantsHtml } from "../../kit.js"
import type { TemplateEngine } from "../../templates/index.js"
import { authPageErrors } from "./errors.js"

/** One refused field, with a stable code, as shown next to the field or in `errors`. */
export interface FieldProblem {
  readonly field: string
  readonly code: string
  readonly message: string
}

/** What every page template sees besides its own data. */
export interface PageKit {
  readonly engine: TemplateEngine
  readonly site: string
  readonly urls: Readonly<Record<string, string>>
}

/** Whether this request gets JSON: a JSON body, or a client that does not prefer HTML. */
export function isJson(c: Context): boolean {
  return c.req.contentType === "application/json" || !wantsHtml(c)
}

/** The submitted fields as strings, from a JSON object or a form body. */
export async function fieldsOf(c: Context): Promise<URLSearchParams> {
  const fields = new URLSearchParams()
  if (c.req.contentType === "application/json") {
    const body = await c.req.json<unknown>()
    if (body !== null && typeof body === "object" && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
          fields.set(k, String(v))
      }
    }
    return fields
  }
  for (const [k, v] of await c.req.form()) if (typeof v === "string") fields.append(k, v)
  return fields
}

/** Problems by field, the way templates read them: `errors.password[0].message`. */
export function byField(problems: readonly FieldProblem[]): Record<string, FieldProblem[]> {
  const out: Record<string, FieldProblem[]> = {}
  for (const p of problems) {
    const list = out[p.field] ?? []
    list.push(p)
    out[p.field] = list
  }
  return out
}

/** Field problems from a truss/forms result: `required` when empty, `invalid` otherwise. */
export function formProblems(
  errors: Readonly<Record<string, readonly string[]>>,
  fields: URLSearchParams,
): FieldProblem[] {
  return Object.entries(errors).flatMap(([field, messages]) =>
    messages.map((message) => ({
      field,
      code: (fields.get(field) ?? "").trim() === "" ? "required" : "invalid",
      message,
    })),
  )
}

/** Renders `auth/<name>.liquid` with the kit's site name and URLs. */
export async function page(
  c: Context,
  kit: PageKit,
  name: string,
  data: Record<string, unknown> = {},
  status = 200,
): Promise<Reply> {
  const html = await kit.engine.render(
    `auth/${name}.liquid`,
    { site: kit.site, urls: kit.urls, errors: {}, values: {}, ...data },
    c,
  )
  return c.html(html, status)
}

/** Re-renders a form with its problems (HTML), or throws 422 with `errors` (JSON). */
export async function refuse(
  c: Context,
  kit: PageKit,
  name: string,
  problems: readonly FieldProblem[],
  data: Record<string, unknown> = {},
): Promise<Reply> {
  if (isJson(c)) {
    throw authPageErrors.FORM_INVALID(undefined, { extensions: { errors: problems } })
  }
  return page(c, kit, name, { ...data, errors: byField(problems) }, 422)
}

/**
 * A coded 4xx as a page that shows its message and code (HTML), or thrown as
 * problem+json (JSON). Other errors are rethrown.
 */
export async function failure(
  c: Context,
  kit: PageKit,
  err: unknown,
  name = "error",
  data: Record<string, unknown> = {},
): Promise<Reply> {
  if (!(err instanceof TrussError) || err.status >= 500 || isJson(c)) throw err
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v)
  const error = { code: err.code, message: err.message, status: err.status }
  return page(c, kit, name, { ...data, error }, err.status)
}
