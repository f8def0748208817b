import { Blueprint, escapeHtml, HttpError } from "../kit.js"
import { inlineCidImages } from "./inline-images.js"
import type { MemoryTransport, SentMail } from "./transports/memory.js"

/**
 * Options for {@link mailViewer}.
 * @example
 * ```ts
 * import type { MailViewerOptions } from "truss/mail"
 * const o: MailViewerOptions = { prefix: "/dev/mail" }
 * ```
 */
export interface MailViewerOptions {
  /** The URL prefix. @default "/_mail" */
  prefix?: `/${string}`
}

const STYLE = `body{margin:0;font:14px/1.5 system-ui,sans-serif;color:#1f2937;background:#f3f4f6}
header{background:#111827;color:#fff;padding:12px 24px;font-weight:600}
main{max-width:1100px;margin:24px auto;padding:0 24px}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 3px #0002}
td,th{padding:10px 14px;border-bottom:1px solid #e5e7eb;text-align:left}th{background:#f9fafb;font-size:12px;text-transform:uppercase;color:#6b7280}
a{color:#2563eb;text-decoration:none}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;background:#fff;padding:16px;border-radius:8px}
dt{color:#6b7280}iframe{width:100%;height:520px;border:1px solid #e5e7eb;border-radius:8px;background:#fff}
pre{background:#fff;padding:16px;border-radius:8px;white-space:pre-wrap}h2{font-size:16px;margin:24px 0 8px}`

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><header>Truss mail viewer</header><main>${body}</main></body></html>`
}

function row(prefix: string, m: SentMail): string {
  return `<tr><td>${escapeHtml(m.sentAt.toISOString())}</td><td>${escapeHtml(m.from)}</td><td>${escapeHtml(m.to.join(", "))}</td><td><a href="${prefix}/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`
}

function show(prefix: string, m: SentMail): string {
  const head = Object.entries({
    From: m.from,
    To: m.to.join(", "),
    Cc: m.cc.join(", "),
    Subject: m.subject,
    "Message-ID": m.messageId,
    ...m.headers,
  })
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("")
  const files = m.attachments
    .map(
      (a, i) =>
        `<li><a href="${prefix}/${m.id}/attachments/${i}">${escapeHtml(a.filename)}</a>${a.cid ? ` (inline, cid:${escapeHtml(a.cid)})` : ""}</li>`,
    )
    .join("")
  const html =
    m.html === undefined
      ? ""
      : `<h2>HTML</h2><iframe sandbox title="HTML part" src="${prefix}/${m.id}/html"></iframe>`
  return `<p><a href="${prefix}/">← all mails</a></p><h1>${escapeHtml(m.subject)}</h1><dl>${head}</dl>${html}<h2>Text</h2><pre>${escapeHtml(m.text)}</pre>${files ? `<h2>Attachments</h2><ul>${files}</ul>` : ""}`
}

/**
 * A development page listing the mails a memory transport kept, with each mail's
 * headers, text part, attachments and HTML part (in a sandboxed iframe served with a
 * CSP that blocks scripts and remote loads; inline `cid:` images are shown, as `data:`
 * URLs). Register it only in development.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { mailViewer, memoryTransport } from "truss/mail"
 * const transport = memoryTransport()
 * const app = new App()
 * app.register(mailViewer(transport))
 * ```
 */
export function mailViewer(transport: MemoryTransport, options: MailViewerOptions = {}): Blueprint {
  const prefix = options.prefix ?? "/_mail"
  const bp = new Blueprint({ prefix, name: "mail" })
  const find = (id: string) => {
    const m = transport.get(id)
    if (!m) throw new HttpError(404, "No such mail")
    return m
  }
  bp.get("/", { name: "list" }, (c) => {
    const rows = [...transport.outbox]
      .reverse()
      .map((m) => row(prefix, m))
      .join("")
    const body = rows
      ? `<table><tr><th>Sent</th><th>From</th><th>To</th><th>Subject</th></tr>${rows}</table>`
      : "<p>No mail sent yet.</p>"
    return c.html(page("Mail", `<h1>Mail (${transport.outbox.length})</h1>${body}`))
  })
  bp.get("/:id", { name: "show" }, (c) => {
    const m = find(c.params.id)
    return c.html(page(m.subject, show(prefix, m)))
  })
  bp.get("/:id/html", { name: "html" }, (c) => {
    const m = find(c.params.id)
    c.header(
      "content-security-policy",
      "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; sandbox",
    )
    return c.html(inlineCidImages(m.html ?? "", m.attachments))
  })
  bp.get("/:id/attachments/:n", { name: "attachment" }, (c) => {
    const a = find(c.params.id).attachments[Number(c.params.n)]
    if (!a) throw new HttpError(404, "No such mail")
    c.header("content-disposition", "attachment")
    const bytes = typeof a.content === "string" ? Buffer.from(a.content) : a.content
    async function* one() {
      yield bytes
    }
    return c.stream(one(), { contentType: a.contentType ?? "application/octet-stream" })
  })
  return bp
}
