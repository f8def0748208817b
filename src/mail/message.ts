import MailComposer from "nodemailer/lib/mail-composer"
import { mailErrors } from "./errors.js"

/**
 * An address: `"ada@example.com"`, `"Ada <ada@example.com>"` or `{ name, address }`.
 * @example
 * ```ts
 * import type { Address } from "truss/mail"
 * const to: Address[] = ["ada@example.com", "Bob <bob@example.com>", { name: "Cy", address: "cy@example.com" }]
 * ```
 */
export type Address = string | { readonly name?: string; readonly address: string }

/**
 * A file attached to a mail; give `cid` to show it inline (`<img src="cid:logo">`).
 * @example
 * ```ts
 * import type { Attachment } from "truss/mail"
 * const logo: Attachment = { filename: "logo.png", content: new Uint8Array([137, 80]), contentType: "image/png", cid: "logo" }
 * ```
 */
export interface Attachment {
  /** The file name shown to the reader. */
  readonly filename: string
  /** The bytes or text of the file. */
  readonly content: string | Uint8Array
  /** The MIME type. @default guessed from the file name */
  readonly contentType?: string
  /** A Content-ID: the attachment becomes an inline part the HTML refers to as `cid:<cid>`. */
  readonly cid?: string
}

/**
 * What to send: addresses, subject, a body (html/text or a template), attachments.
 * @example
 * ```ts
 * import type { MailMessage } from "truss/mail"
 * const m: MailMessage = { to: "ada@example.com", subject: "Hi", template: "mail/hi.html", data: { name: "Ada" } }
 * ```
 */
export interface MailMessage {
  readonly to?: Address | readonly Address[]
  readonly cc?: Address | readonly Address[]
  readonly bcc?: Address | readonly Address[]
  /** The sender. @default the mailer's `from` */
  readonly from?: Address
  readonly replyTo?: Address
  readonly subject: string
  /** The HTML part. */
  readonly html?: string
  /** The text part. @default derived from the HTML by `htmlToText` */
  readonly text?: string
  /** A template for the HTML part, rendered by the mailer's TemplateEngine with `data`. */
  readonly template?: string
  /** A template for the text part; otherwise the text is derived from the HTML. */
  readonly textTemplate?: string
  /** Variables for `template` and `textTemplate`. */
  readonly data?: Record<string, unknown>
  readonly attachments?: readonly Attachment[]
  /** Extra headers, e.g. `{ "List-Unsubscribe": "<https://example.com/u>" }`. */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * A checked, built mail as a transport receives it: envelope, parts and MIME source.
 * @example
 * ```ts
 * import type { BuiltMail } from "truss/mail"
 * const subjectOf = (m: BuiltMail) => m.subject
 * ```
 */
export interface BuiltMail {
  readonly messageId: string
  readonly envelope: { readonly from: string; readonly to: readonly string[] }
  readonly from: string
  readonly to: readonly string[]
  readonly cc: readonly string[]
  readonly bcc: readonly string[]
  readonly subject: string
  readonly html: string | undefined
  readonly text: string
  readonly headers: Readonly<Record<string, string>>
  readonly attachments: readonly Attachment[]
  /** The RFC 5322 message as sent (Bcc not included). */
  readonly raw: Buffer
}

const EMAIL = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+$/
const NAMED = /^\s*(?:"([^"]*)"|([^<>"]*?))\s*<([^<>]+)>\s*$/
const HEADER_NAME = /^[!-9;-~]+$/
const BREAK = /[\r\n]/

function checkLine(field: string, value: string): void {
  if (BREAK.test(value)) throw mailErrors.HEADER_INJECTION({ field })
}

/** Parses and checks one address, refusing line breaks and non-addresses. */
function toAddress(field: string, a: Address): { name: string; address: string } {
  const raw = typeof a === "string" ? a : `${a.name ?? ""} <${a.address}>`
  checkLine(field, typeof a === "string" ? a : `${a.name ?? ""}${a.address}`)
  let name = ""
  let address = typeof a === "string" ? a.trim() : a.address.trim()
  if (typeof a === "string") {
    const m = NAMED.exec(a)
    if (m) {
      name = (m[1] ?? m[2] ?? "").trim()
      address = m[3]!.trim()
    }
  } else {
    name = a.name ?? ""
  }
  if (!EMAIL.test(address)) throw mailErrors.ADDRESS_INVALID({ field, value: raw })
  return { name, address }
}

function list(field: string, v: Address | readonly Address[] | undefined) {
  if (v === undefined) return []
  return (Array.isArray(v) ? v : [v as Address]).map((a) => toAddress(field, a))
}

function format(a: { name: string; address: string }): string {
  return a.name ? `${a.name} <${a.address}>` : a.address
}

/** Checks a message with its rendered body and compiles it to MIME. @internal */
export async function buildMail(
  msg: MailMessage & { html?: string; text: string },
  defaultFrom: Address | undefined,
): Promise<BuiltMail> {
  checkLine("subject", msg.subject)
  const fromIn = msg.from ?? defaultFrom
  if (fromIn === undefined) throw mailErrors.NO_FROM()
  const from = toAddress("from", fromIn)
  const to = list("to", msg.to)
  const cc = list("cc", msg.cc)
  const bcc = list("bcc", msg.bcc)
  const replyTo = msg.replyTo === undefined ? undefined : toAddress("replyTo", msg.replyTo)
  if (to.length + cc.length + bcc.length === 0) throw mailErrors.NO_RECIPIENTS()
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(msg.headers ?? {})) {
    if (!HEADER_NAME.test(k))
      throw mailErrors.HEADER_INJECTION({ field: `header name ${JSON.stringify(k)}` })
    checkLine(`header ${k}`, v)
    headers[k] = v
  }
  for (const a of msg.attachments ?? []) {
    checkLine("attachment filename", a.filename)
    if (a.cid !== undefined) checkLine("attachment cid", a.cid)
  }
  const composer = new MailComposer({
    from: format(from),
    to: to.map(format),
    cc: cc.map(format),
    replyTo: replyTo && format(replyTo),
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    headers,
    attachments: (msg.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: typeof a.content === "string" ? a.content : Buffer.from(a.content),
      contentType: a.contentType,
      cid: a.cid,
      contentDisposition: a.cid === undefined ? "attachment" : "inline",
    })),
  })
  const node = composer.compile()
  const raw = await node.build()
  return {
    messageId: node.messageId(),
    envelope: { from: from.address, to: [...to, ...cc, ...bcc].map((a) => a.address) },
    from: format(from),
    to: to.map(format),
    cc: cc.map(format),
    bcc: bcc.map(format),
    subject: msg.subject,
    html: msg.html,
    text: msg.text,
    headers,
    attachments: msg.attachments ?? [],
    raw,
  }
}
