import { mkdtempSync, readdirSync, readFileSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { SMTPServer } from "smtp-server"
import { describe, expect, it } from "vitest"
import {
  consoleTransport,
  createMailer,
  fileTransport,
  mailErrors,
  memoryTransport,
  smtpTransport,
} from "../../src/mail/index.js"
import { mailTransportConformance } from "../support/mail-transports.js"

mailTransportConformance("memory", async () => {
  const t = memoryTransport()
  return { transport: t, read: async () => t.outbox.at(-1)!.raw.toString(), done: async () => {} }
})
mailTransportConformance("console", async () => {
  let out = ""
  const t = consoleTransport({
    raw: true,
    write: (s) => {
      out += s
    },
  })
  return { transport: t, read: async () => out, done: async () => {} }
})
mailTransportConformance("file", async () => {
  const dir = mkdtempSync(join(tmpdir(), "truss-eml-"))
  const t = fileTransport({ dir })
  return {
    transport: t,
    read: async () => readFileSync(join(dir, readdirSync(dir)[0]!), "utf8"),
    done: async () => {},
  }
})
mailTransportConformance("smtp", async () => {
  let data = ""
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _s, cb) {
      stream.on("data", (c: Buffer) => {
        data += c.toString()
      })
      stream.on("end", () => cb())
    },
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
  const t = smtpTransport({
    host: "127.0.0.1",
    port: (server.server.address() as AddressInfo).port,
  })
  return {
    transport: t,
    read: async () => data,
    done: async () => {
      await t.close()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
})

describe("createMailer", () => {
  it("keeps mails in mail.outbox with the text part derived from the HTML", async () => {
    const mail = createMailer({ transport: memoryTransport(), from: "app@acme.test" })
    await mail.send({
      to: "ada@example.com",
      subject: "Hi",
      html: '<p>Hello <b>Ada</b>,</p><ul><li>one</li><li>two</li></ul><p><a href="https://a.test/x">Open</a> &amp; go</p>',
    })
    expect(mail.outbox.map((m) => [m.subject, m.text, m.to])).toEqual([
      ["Hi", "Hello Ada,\n\n- one\n- two\n\nOpen (https://a.test/x) & go", ["ada@example.com"]],
    ])
  })
  it("sendLater sends immediately until truss/jobs lands", async () => {
    const mail = createMailer({ transport: memoryTransport(), from: "app@acme.test" })
    await mail.sendLater({ to: "ada@example.com", subject: "Later", text: "x" })
    expect(mail.outbox.map((m) => m.subject)).toEqual(["Later"])
  })
  it.each([
    ["to", { to: "ada@example.com\r\nBcc: evil@x.test" }, "to"],
    [
      "a header value",
      { to: "ada@example.com", headers: { "X-A": "1\nBcc: evil@x.test" } },
      "header X-A",
    ],
    [
      "a header name",
      { to: "ada@example.com", headers: { "X-A\r\nBcc": "1" } },
      'header name "X-A\\r\\nBcc"',
    ],
  ])("refuses CRLF in %s with TRUSS_ERR_MAIL_HEADER_INJECTION", async (_n, extra, field) => {
    const mail = createMailer({ transport: memoryTransport(), from: "app@acme.test" })
    const err = await mail.send({ subject: "Hi", text: "x", ...extra }).catch((e: unknown) => e)
    expect(mailErrors.HEADER_INJECTION.is(err)).toBe(true)
    expect((err as Error).message).toContain(`The mail's ${field} contains a line break`)
    expect(mail.outbox).toEqual([])
  })
  it("mail.outbox throws TRUSS_ERR_MAIL_NO_OUTBOX with another transport", () => {
    const mail = createMailer({ transport: consoleTransport({ write: () => {} }) })
    expect(() => mail.outbox).toThrow(
      "mail.outbox exists only with the memory transport, and this mailer uses console",
    )
  })
})
