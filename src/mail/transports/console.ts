import type { MailTransport, SendResult } from "../transport.js"

/**
 * Options for {@link consoleTransport}.
 * @example
 * ```ts
 * import type { ConsoleTransportOptions } from "truss/mail"
 * const o: ConsoleTransportOptions = { raw: true }
 * ```
 */
export interface ConsoleTransportOptions {
  /** Where to write. @default process.stdout */
  write?: (chunk: string) => void
  /** Print the whole MIME source instead of a summary and the text part. @default false */
  raw?: boolean
}

/**
 * A development transport that prints each mail: its headers and text part (or, with
 * `raw`, the MIME source) instead of sending it.
 * @example
 * ```ts
 * import { consoleTransport, createMailer } from "truss/mail"
 * const mail = createMailer({ transport: consoleTransport(), from: "app@example.com" })
 * ```
 */
export function consoleTransport(options: ConsoleTransportOptions = {}): MailTransport {
  const write = options.write ?? ((s: string) => void process.stdout.write(s))
  return {
    name: "console",
    async send(mail): Promise<SendResult> {
      if (options.raw) {
        write(`${mail.raw.toString("utf8")}\n`)
      } else {
        const lines = [
          `----- mail ${mail.messageId} -----`,
          `From: ${mail.from}`,
          `To: ${mail.to.join(", ")}`,
          ...(mail.cc.length ? [`Cc: ${mail.cc.join(", ")}`] : []),
          ...(mail.bcc.length ? [`Bcc: ${mail.bcc.join(", ")}`] : []),
          `Subject: ${mail.subject}`,
          ...mail.attachments.map(
            (a) => `Attachment: ${a.filename}${a.cid ? ` (inline, cid:${a.cid})` : ""}`,
          ),
          "",
          mail.text,
          `----- end of mail -----`,
          "",
        ]
        write(lines.join("\n"))
      }
      return {
        messageId: mail.messageId,
        accepted: [...mail.envelope.to],
        rejected: [],
        response: "250 printed",
      }
    },
    async close() {},
  }
}
