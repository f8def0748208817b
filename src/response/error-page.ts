import type { Context } from "../context.js"
import type { TrussError } from "../errors.js"
import { nodeHttp } from "../util/lazy.js"

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @example
 * ```ts
 * import { escapeHtml } from "truss"
 * escapeHtml(`<a href="x">Tom & "Jerry"</a>`) // "&lt;a href=&quot;x&quot;&gt;Tom &amp; &quot;Jerry&quot;&lt;/a&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!)
}

const STYLE =
  "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:4rem auto;padding:0 1rem;color:#222}" +
  "h1{font-size:1.6rem}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:13px}" +
  "table{border-collapse:collapse}td{padding:.2rem .6rem;border-bottom:1px solid #eee;vertical-align:top}"

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`
}

const FRIENDLY: Record<number, string> = {
  404: "The page you asked for does not exist. Check the address, or go back to the home page.",
  405: "This page does not accept that kind of request.",
  413: "What you sent is too large.",
}

/** The page browsers see for an error. `message` is shown only when safe to expose. */
export function errorPage(status: number, message: string | undefined): string {
  const title = `${status} ${titleOf(status)}`
  const text =
    status >= 500
      ? "Something went wrong on our side. Please try again in a moment."
      : (message ?? FRIENDLY[status] ?? "The request could not be handled.")
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/">Home</a></p>`,
  )
}

const SECRET_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"])

/** The developer error page (`debug: true` only): message, stack, cause and request. */
export function debugPage(c: Context, error: TrussError): string {
  const rows: string[] = []
  for (const [name, value] of c.req.headers) {
    const shown = SECRET_HEADERS.has(name) ? "[redacted]" : value
    rows.push(`<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(shown)}</td></tr>`)
  }
  const cause = error.cause instanceof Error ? error.cause : undefined
  const stack = (cause ?? error).stack ?? String(error)
  const title = `${error.status} ${error.code}`
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(error.message)}</p>` +
      `<h2>Stack</h2><pre>${escapeHtml(stack)}</pre>` +
      `<h2>Request</h2><p>${escapeHtml(c.req.method)} ${escapeHtml(c.req.path)}${c.req.search ? `?${escapeHtml(c.req.search)}` : ""}</p>` +
      `<table>${rows.join("")}</table><p>This page shows because debug is on. Never enable debug in production.</p>`,
  )
}

/** The standard reason phrase for a status, e.g. "Not Found". */
export function titleOf(status: number): string {
  return nodeHttp().STATUS_CODES[status] ?? (status >= 500 ? "Server Error" : "Client Error")
}
