import type { TemplateEngine } from "../templates/index.js"
import { mailErrors } from "./errors.js"
import { htmlToText } from "./html-to-text.js"
import { type Address, type BuiltMail, buildMail, type MailMessage } from "./message.js"
import { type MailQueueOptions, queueScheduler } from "./queue.js"
import type { MailTransport, SendResult } from "./transport.js"
import type { SentMail } from "./transports/memory.js"

/**
 * Hands a mail to run later, when the mailer has no `queue`: the default sends it at once;
 * a custom one may hand it to another queue.
 * @example
 * ```ts
 * import type { MailScheduler } from "truss/mail"
 * const now: MailScheduler = (mail, send) => send(mail)
 * ```
 */
export type MailScheduler = (
  mail: MailMessage,
  send: (mail: MailMessage) => Promise<SendResult>,
) => Promise<SendResult>

/**
 * Options for {@link createMailer}.
 * @example
 * ```ts
 * import { type MailerOptions, memoryTransport } from "truss/mail"
 * const options: MailerOptions = { transport: memoryTransport(), from: "app@acme.test" }
 * ```
 */
export interface MailerOptions {
  /** Where mails go: smtpTransport, memoryTransport, consoleTransport, fileTransport. */
  transport: MailTransport
  /** The default sender. */
  from?: Address
  /** The engine `template` and `textTemplate` are rendered with. */
  templates?: TemplateEngine
  /**
   * Make `sendLater()` enqueue a `truss/jobs` job (sent by a worker, with retries);
   * `true` for the defaults. Every process (the app and `truss worker`) must build this
   * mailer, so the job is defined in each.
   */
  queue?: boolean | MailQueueOptions
  /** How sendLater runs a mail, when not `queue`. @default send immediately */
  scheduler?: MailScheduler
}

/**
 * A mailer made by {@link createMailer}.
 * @example
 * ```ts
 * import { createMailer, type Mailer, memoryTransport } from "truss/mail"
 * const mail: Mailer = createMailer({ transport: memoryTransport(), from: "app@acme.test" })
 * ```
 */
export interface Mailer {
  /** The transport in use. */
  readonly transport: MailTransport
  /** What the memory transport kept; throws TRUSS_ERR_MAIL_NO_OUTBOX with another transport. */
  readonly outbox: readonly SentMail[]
  /** Renders, checks and sends a mail now. */
  send(message: MailMessage): Promise<SendResult>
  /**
   * Sends a mail outside the request: with `queue`, a job a worker sends (the result has
   * its `jobId`); otherwise now, as `send()`.
   */
  sendLater(message: MailMessage): Promise<SendResult>
  /** Renders and checks a mail without sending it (previews, tests). */
  build(message: MailMessage): Promise<BuiltMail>
  /** Closes the transport (the SMTP pool). */
  close(): Promise<void>
}

const immediately: MailScheduler = (mail, send) => send(mail)

/**
 * Makes a mailer: renders templates (HTML part, text part derived when not given),
 * refuses header injection, and sends through the transport.
 * @example
 * ```ts
 * import { createMailer, memoryTransport } from "truss/mail"
 * const mail = createMailer({ transport: memoryTransport(), from: "Acme <no-reply@acme.test>" })
 * await mail.send({ to: "ada@example.com", subject: "Welcome", html: "<p>Hello <b>Ada</b></p>" })
 * mail.outbox[0]?.text // "Hello Ada"
 * ```
 */
export function createMailer(options: MailerOptions): Mailer {
  const { transport, templates } = options
  const { queue } = options
  async function build(message: MailMessage): Promise<BuiltMail> {
    const data = message.data ?? {}
    const render = async (name: string) => {
      if (!templates) throw mailErrors.NO_TEMPLATES({ template: name })
      return templates.render(name, data)
    }
    const html = message.template !== undefined ? await render(message.template) : message.html
    let text =
      message.textTemplate !== undefined ? await render(message.textTemplate) : message.text
    if (text === undefined) {
      if (html === undefined) throw mailErrors.NO_BODY()
      text = htmlToText(html)
    }
    return buildMail({ ...message, html, text }, options.from)
  }
  async function send(message: MailMessage): Promise<SendResult> {
    return transport.send(await build(message))
  }
  const scheduler = options.scheduler ?? immediately
  const sendLater = queue
    ? queueScheduler(send, queue === true ? {} : queue)
    : (message: MailMessage) => scheduler(message, send)
  return {
    transport,
    get outbox(): readonly SentMail[] {
      const box = (transport as { outbox?: readonly SentMail[] }).outbox
      if (transport.name !== "memory" || !box)
        throw mailErrors.NO_OUTBOX({ transport: transport.name })
      return box
    },
    send,
    sendLater,
    build,
    close: () => transport.close(),
  }
}
