/**
 * `sendLater()` through `truss/jobs`: the mail becomes a durable job, sent by a worker
 * with the job's retries. The payload is the message itself (templates are rendered in
 * the worker, which builds the same mailer), with attachment bytes as base64 so it
 * round-trips as JSON.
 * @module
 */
import type { StandardSchemaV1 } from "@standard-schema/spec"
import { defineJob } from "../jobs/index.js"
import type { Attachment, MailMessage } from "./message.js"
import type { SendResult } from "./transport.js"

/**
 * How `createMailer({ queue })` enqueues mail.
 * @example
 * ```ts
 * import type { MailQueueOptions } from "truss/mail"
 * const queue: MailQueueOptions = { job: "mail.send", retries: 5, backoff: 30_000 }
 * ```
 */
export interface MailQueueOptions {
  /** The job's name; every process that builds this mailer defines it. @default "mail.send" */
  readonly job?: string
  /** Retries after the first attempt. @default 5 */
  readonly retries?: number
  /** The first retry's delay in ms, doubling after (with jitter). @default 10000 */
  readonly backoff?: number
}

type QueuedAttachment = Omit<Attachment, "content"> & { content: string; base64?: true }
type QueuedMail = Omit<MailMessage, "attachments"> & { attachments?: QueuedAttachment[] }

function toQueued(mail: MailMessage): QueuedMail {
  if (!mail.attachments) return mail as QueuedMail
  const attachments = mail.attachments.map((a) =>
    typeof a.content === "string"
      ? { ...a, content: a.content }
      : { ...a, content: Buffer.from(a.content).toString("base64"), base64: true as const },
  )
  return { ...mail, attachments }
}

function fromQueued(mail: QueuedMail): MailMessage {
  if (!mail.attachments) return mail
  const attachments = mail.attachments.map(({ base64, ...a }) =>
    base64 ? { ...a, content: Buffer.from(a.content, "base64") } : a,
  )
  return { ...mail, attachments }
}

/** The payload check at enqueue: an object with a subject (the mailer checks the rest). */
const queuedMail: StandardSchemaV1<unknown, QueuedMail> = {
  "~standard": {
    version: 1,
    vendor: "truss",
    validate(value) {
      const ok =
        typeof value === "object" &&
        value !== null &&
        typeof (value as { subject?: unknown }).subject === "string"
      return ok
        ? { value: value as QueuedMail }
        : { issues: [{ message: "a mail needs a subject", path: ["subject"] }] }
    },
  },
}

/** A scheduler that enqueues each mail as a job whose handler sends it with `send`. */
export function queueScheduler(
  send: (mail: MailMessage) => Promise<SendResult>,
  options: MailQueueOptions,
): (mail: MailMessage) => Promise<SendResult> {
  const job = defineJob(options.job ?? "mail.send", {
    schema: queuedMail,
    retries: options.retries ?? 5,
    backoff: options.backoff ?? 10_000,
    handler: async (mail) => {
      await send(fromQueued(mail))
    },
  })
  return async (mail) => {
    const id = await job.enqueue(toQueued(mail))
    return { messageId: "", accepted: [], rejected: [], response: `queued as job ${id}`, jobId: id }
  }
}
