import type { BuiltMail } from "./message.js"

/**
 * What a transport reports for one mail it accepted.
 * @example
 * ```ts
 * import type { SendResult } from "truss/mail"
 * const r: SendResult = { messageId: "<1@example.com>", accepted: ["ada@example.com"], rejected: [], response: "250 OK" }
 * ```
 */
export interface SendResult {
  /** The Message-ID header of the mail. */
  readonly messageId: string
  /** The envelope recipients the transport accepted. */
  readonly accepted: readonly string[]
  /** Envelope recipients refused while others were accepted (SMTP only; otherwise empty). */
  readonly rejected: readonly string[]
  /** The transport's last reply, e.g. SMTP's `250 OK: queued`. */
  readonly response: string
  /** With `createMailer({ queue })`: the job that will send the mail. */
  readonly jobId?: string
}

/**
 * Where mails go. A transport gets a checked, fully built mail (envelope and MIME source)
 * and delivers it; one conformance suite (test/support/mail-transports.ts) runs on each.
 * @example
 * ```ts
 * import type { MailTransport } from "truss/mail"
 * const discard: MailTransport = {
 *   name: "discard",
 *   async send(mail) {
 *     return { messageId: mail.messageId, accepted: [...mail.envelope.to], rejected: [], response: "discarded" }
 *   },
 *   async close() {},
 * }
 * ```
 */
export interface MailTransport {
  /** A short name for logs and errors: "smtp", "memory", "console", "file". */
  readonly name: string
  /** Delivers one mail; throws a coded TRUSS_ERR_MAIL_* error when it cannot. */
  send(mail: BuiltMail): Promise<SendResult>
  /** Releases connections and handles. */
  close(): Promise<void>
}
