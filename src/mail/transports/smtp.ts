import nodemailer from "nodemailer"
import type { TrussError } from "../../kit.js"
import { mailErrors } from "../errors.js"
import type { MailTransport, SendResult } from "../transport.js"

/**
 * Options for {@link smtpTransport}.
 * @example
 * ```ts
 * import type { SmtpTransportOptions } from "truss/mail"
 * const o: SmtpTransportOptions = { host: "smtp.acme.test", port: 587, auth: { user: "app", pass: "secret" } }
 * ```
 */
export interface SmtpTransportOptions {
  host: string
  /** @default 587 (465 when `secure`) */
  port?: number
  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. @default false */
  secure?: boolean
  /** Refuse to send unless STARTTLS succeeds. @default true unless host is loopback */
  requireTLS?: boolean
  /** Login (AUTH PLAIN or LOGIN, whichever the server offers). */
  auth?: { user: string; pass: string }
  /** Keep a pool of connections. @default true */
  pool?: boolean
  /** Connections in the pool. @default 5 */
  maxConnections?: number
  /** TLS options, e.g. `{ ca }` for a private CA or `{ servername }`. */
  tls?: { ca?: string | Buffer; rejectUnauthorized?: boolean; servername?: string }
  /** Milliseconds to wait for the connection and greeting. @default 10000 */
  connectionTimeout?: number
  /** Name sent in EHLO. @default os.hostname() */
  name?: string
}

interface SmtpFailure {
  code?: string
  command?: string
  responseCode?: number
  response?: string
  message?: string
  rejected?: string[]
}

/** Maps a nodemailer failure to a coded error that keeps the server's reply. */
function toMailError(err: unknown): TrussError {
  const e = (err ?? {}) as SmtpFailure
  const reply = {
    command: e.command ?? "CONN",
    responseCode: e.responseCode,
    response: e.response ?? e.message ?? String(err),
  }
  const options = { cause: err, extensions: { ...reply } }
  if (e.code === "EENVELOPE" && e.command === "RCPT TO") {
    return mailErrors.RECIPIENT_REFUSED({ ...reply, recipients: e.rejected ?? [] }, options)
  }
  if (e.code === "EAUTH") return mailErrors.AUTH_FAILED(reply, options)
  if (e.code === "EENVELOPE" || e.code === "EMESSAGE") return mailErrors.SEND_FAILED(reply, options)
  return mailErrors.CONNECTION(reply, options)
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1"])

/**
 * Sends over SMTP with nodemailer: a pool of connections, STARTTLS (required by default
 * except on loopback), AUTH PLAIN/LOGIN. Failures are coded errors carrying the
 * server's reply in `extensions` (`responseCode`, `response`, `command`).
 * @example
 * ```ts
 * import { createMailer, smtpTransport } from "truss/mail"
 * const mail = createMailer({
 *   from: "Acme <no-reply@acme.test>",
 *   transport: smtpTransport({ host: "smtp.acme.test", port: 587, auth: { user: "app", pass: "secret" } }),
 * })
 * ```
 */
export function smtpTransport(options: SmtpTransportOptions): MailTransport {
  const secure = options.secure ?? false
  const transporter = nodemailer.createTransport({
    pool: options.pool ?? true,
    maxConnections: options.maxConnections ?? 5,
    host: options.host,
    port: options.port ?? (secure ? 465 : 587),
    secure,
    requireTLS: options.requireTLS ?? !LOOPBACK.has(options.host),
    auth: options.auth,
    tls: options.tls,
    name: options.name,
    connectionTimeout: options.connectionTimeout ?? 10_000,
  })
  return {
    name: "smtp",
    async send(mail): Promise<SendResult> {
      try {
        const info = await transporter.sendMail({
          envelope: { from: mail.envelope.from, to: [...mail.envelope.to] },
          raw: mail.raw,
        })
        return {
          messageId: mail.messageId,
          accepted: info.accepted.map(String),
          rejected: info.rejected.map(String),
          response: info.response,
        }
      } catch (err) {
        throw toMailError(err)
      }
    },
    async close() {
      transporter.close()
    },
  }
}
