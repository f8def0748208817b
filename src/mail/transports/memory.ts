import { randomUUID } from "node:crypto"
import type { BuiltMail } from "../message.js"
import type { MailTransport, SendResult } from "../transport.js"

/**
 * A mail kept by the memory transport, newest last.
 * @example
 * ```ts
 * import type { SentMail } from "truss/mail"
 * const subjects = (box: readonly SentMail[]) => box.map((m) => m.subject)
 * ```
 */
export interface SentMail extends BuiltMail {
  /** A URL-safe id for the dev viewer. */
  readonly id: string
  /** When it was sent. */
  readonly sentAt: Date
}

/**
 * Options for {@link memoryTransport}.
 * @example
 * ```ts
 * import type { MemoryTransportOptions } from "truss/mail"
 * const o: MemoryTransportOptions = { limit: 100 }
 * ```
 */
export interface MemoryTransportOptions {
  /** How many mails to keep; older ones are dropped first. @default 1000 */
  limit?: number
}

/**
 * The in-memory transport: `outbox` holds what was sent, for tests and the dev viewer.
 * @example
 * ```ts
 * import { type MemoryTransport, memoryTransport } from "truss/mail"
 * const t: MemoryTransport = memoryTransport()
 * t.clear()
 * ```
 */
export interface MemoryTransport extends MailTransport {
  readonly name: "memory"
  /** The mails sent so far, oldest first. */
  readonly outbox: readonly SentMail[]
  /** Empties the outbox (between tests). */
  clear(): void
  /** One mail by its id. */
  get(id: string): SentMail | undefined
}

/**
 * A transport that keeps mails in memory instead of sending them: `mail.outbox` in
 * tests, and the store the dev mail viewer shows.
 * @example
 * ```ts
 * import { createMailer, memoryTransport } from "truss/mail"
 * const mail = createMailer({ transport: memoryTransport(), from: "app@example.com" })
 * await mail.send({ to: "ada@example.com", subject: "Hi", text: "Hello" })
 * mail.outbox[0]?.subject // "Hi"
 * ```
 */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const limit = options.limit ?? 1000
  const outbox: SentMail[] = []
  return {
    name: "memory",
    outbox,
    clear() {
      outbox.length = 0
    },
    get(id) {
      return outbox.find((m) => m.id === id)
    },
    async send(mail): Promise<SendResult> {
      outbox.push({ ...mail, id: randomUUID(), sentAt: new Date() })
      if (outbox.length > limit) outbox.splice(0, outbox.length - limit)
      return {
        messageId: mail.messageId,
        accepted: [...mail.envelope.to],
        rejected: [],
        response: "250 kept in memory",
      }
    },
    async close() {},
  }
}
