import { afterEach, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { jobsModels, startWorker, useJobs } from "../../src/jobs/index.js"
import type { BuiltMail, MailTransport, SendResult } from "../../src/mail/index.js"
import { createMailer, memoryTransport } from "../../src/mail/index.js"
import { connect, createTables, type Database } from "../../src/orm/index.js"

let db: Database | undefined
afterEach(async () => {
  await db?.close()
  db = undefined
})

/** A transport that refuses its first `failures` mails, then hands them to `inner`. */
function flaky(inner: MailTransport, failures: number): MailTransport & { tries: number } {
  const t = {
    name: "flaky",
    tries: 0,
    async send(mail: BuiltMail): Promise<SendResult> {
      t.tries++
      if (t.tries <= failures) throw new Error("421 try again later")
      return inner.send(mail)
    },
    close: () => inner.close(),
  }
  return t
}

it("sendLater() stores a job that a worker sends, retrying a refused send, with attachments intact", async () => {
  db = await connect("sqlite::memory:")
  await createTables(db, jobsModels)
  const backend = useJobs(db)
  const outbox = memoryTransport()
  const transport = flaky(outbox, 1)
  const mailer = createMailer({
    transport,
    from: "app@acme.test",
    queue: { job: "mail.send.queue-test", retries: 2, backoff: 1 },
  })
  const queued = await mailer.sendLater({
    to: "ada@example.com",
    subject: "Your report",
    html: "<p>Attached.</p>",
    attachments: [{ filename: "r.bin", content: new Uint8Array([0, 1, 2, 255]) }],
  })
  expect(queued.response).toBe(`queued as job ${queued.jobId}`)
  expect(outbox.outbox).toEqual([])
  expect((await backend.get(queued.jobId!))?.state).toBe("queued")

  const app = new App({ logger: false })
  const worker = startWorker(app, { pollMs: 10, concurrency: 1 })
  while ((await backend.get(queued.jobId!))?.state !== "done") {
    await new Promise((r) => setTimeout(r, 10))
  }
  await app.close()
  await worker.stopped
  expect(transport.tries).toBe(2)
  expect(outbox.outbox.map((m) => [m.to, m.subject, m.text])).toEqual([
    [["ada@example.com"], "Your report", "Attached."],
  ])
  expect(outbox.outbox[0]?.raw.includes("AAEC/w==")).toBe(true)
})

it("refuses a mail without a subject at enqueue, storing nothing", async () => {
  db = await connect("sqlite::memory:")
  await createTables(db, jobsModels)
  useJobs(db)
  const mailer = createMailer({
    transport: memoryTransport(),
    queue: { job: "mail.send.refuse-test" },
  })
  await expect(mailer.sendLater({ to: "x@example.com" } as never)).rejects.toMatchObject({
    code: "TRUSS_ERR_JOBS_INVALID_PAYLOAD",
  })
  expect(await db.query(jobsModels[0]!).count()).toBe(0)
})
