import { mkdir, writeFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import type { MailTransport, SendResult } from "../transport.js"

/**
 * Options for {@link fileTransport}.
 * @example
 * ```ts
 * import type { FileTransportOptions } from "truss/mail"
 * const o: FileTransportOptions = { dir: "./tmp/mail" }
 * ```
 */
export interface FileTransportOptions {
  /** The folder the `.eml` files go to; created when missing. */
  dir: string
}

let counter = 0

/**
 * A development transport that writes each mail as an `.eml` file (open it with any
 * mail client): `<dir>/<ISO time>-<n>.eml`. `SendResult.response` names the file.
 * @example
 * ```ts
 * import { createMailer, fileTransport } from "truss/mail"
 * const mail = createMailer({ transport: fileTransport({ dir: "./tmp/mail" }), from: "app@example.com" })
 * ```
 */
export function fileTransport(options: FileTransportOptions): MailTransport {
  const dir = resolve(options.dir)
  return {
    name: "file",
    async send(mail): Promise<SendResult> {
      await mkdir(dir, { recursive: true })
      const stamp = new Date().toISOString().replace(/[:.]/g, "-")
      counter += 1
      const file = join(dir, `${stamp}-${process.pid}-${counter}.eml`)
      await writeFile(file, mail.raw, { flag: "wx" })
      return {
        messageId: mail.messageId,
        accepted: [...mail.envelope.to],
        rejected: [],
        response: `250 written to ${file}`,
      }
    },
    async close() {},
  }
}
