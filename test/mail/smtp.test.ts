import { mkdtempSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type ParsedMail, simpleParser } from "mailparser"
import { SMTPServer } from "smtp-server"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createMailer, mailErrors, smtpTransport } from "../../src/mail/index.js"
import { TemplateEngine } from "../../src/templates/index.js"
import { selfSignedCert } from "../support/tls.js"

const dir = mkdtempSync(join(tmpdir(), "truss-mail-"))
const { cert, key } = selfSignedCert(dir)

interface Received {
  parsed: ParsedMail
  envelope: { from: string; to: string[] }
  user: string | undefined
  secure: boolean
}
const received: Received[] = []
let port = 0
const server = new SMTPServer({
  key,
  cert,
  authMethods: ["PLAIN", "LOGIN"],
  authOptional: false,
  logger: false,
  onAuth(auth, _s, cb) {
    if (auth.username === "app" && auth.password === "s3cret") cb(null, { user: "app" })
    else cb(new Error("Invalid username or password"))
  },
  onRcptTo(addr, _s, cb) {
    if (addr.address.endsWith("@refused.test")) {
      const err = new Error("5.1.1 Mailbox unavailable") as Error & { responseCode: number }
      err.responseCode = 550
      cb(err)
    } else cb()
  },
  onData(stream, session, cb) {
    simpleParser(stream).then((parsed) => {
      if (parsed.subject === "drop me") {
        session
        cb()
        return
      }
      received.push({
        parsed,
        user: session.user as string | undefined,
        secure: session.secure,
        envelope: {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
        },
      })
      cb()
    }, cb)
  },
})

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
  port = (server.server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

function mailer(auth = { user: "app", pass: "s3cret" }) {
  return createMailer({
    from: "Acme <no-reply@acme.test>",
    templates: new TemplateEngine({ dir: join(import.meta.dirname, "templates"), debug: false }),
    transport: smtpTransport({
      host: "127.0.0.1",
      port,
      requireTLS: true,
      auth,
      tls: { ca: cert, servername: "localhost" },
    }),
  })
}

describe("smtpTransport against a real SMTP server (STARTTLS, AUTH)", () => {
  it("sends a password-reset mail rendered from a template, with a derived text part and an inline logo", async () => {
    const mail = mailer()
    const r = await mail.send({
      to: "Ada Lovelace <ada@example.com>",
      bcc: "audit@example.com",
      subject: "Reset your password",
      template: "mail/password-reset.html",
      data: {
        name: "Ada",
        email: "ada@example.com",
        link: "https://acme.test/reset?t=abc123",
        minutes: 30,
      },
      attachments: [
        {
          filename: "logo.png",
          content: new Uint8Array([137, 80, 78, 71]),
          contentType: "image/png",
          cid: "logo",
        },
        { filename: "terms.txt", content: "Be nice." },
      ],
      headers: { "X-Mail-Kind": "password-reset" },
    })
    await mail.close()
    expect(r.accepted).toEqual(["ada@example.com", "audit@example.com"])
    expect(r.rejected).toEqual([])
    const got = received.at(-1)!
    expect(got.secure).toBe(true)
    expect(got.user).toBe("app")
    expect(got.envelope).toEqual({
      from: "no-reply@acme.test",
      to: ["ada@example.com", "audit@example.com"],
    })
    const p = got.parsed
    expect(p.subject).toBe("Reset your password")
    expect(p.from?.text).toBe('"Acme" <no-reply@acme.test>')
    expect(p.messageId).toBe(r.messageId)
    expect(p.headers.get("x-mail-kind")).toBe("password-reset")
    expect(p.headers.has("bcc")).toBe(false)
    expect(p.text).toBe(
      "Reset your password\n\nHi Ada,\n\nSomeone asked to reset the password of ada@example.com. Choose a new password (https://acme.test/reset?t=abc123)\n\nThe link expires in 30 minutes.\n\n[Acme]",
    )
    expect(p.html).toContain('<a href="https://acme.test/reset?t=abc123">Choose a new password</a>')
    expect(
      p.attachments.map((a) => [
        a.filename,
        a.contentType,
        a.contentDisposition,
        a.cid ?? null,
        [...a.content],
      ]),
    ).toEqual([
      ["logo.png", "image/png", "inline", "logo", [137, 80, 78, 71]],
      ["terms.txt", "text/plain", "attachment", null, [...Buffer.from("Be nice.")]],
    ])
  })

  it("gives TRUSS_ERR_MAIL_RECIPIENT_REFUSED carrying the server's 550 reply", async () => {
    const mail = mailer()
    const err = await mail
      .send({ to: "bob@refused.test", subject: "Hi", text: "x" })
      .catch((e: unknown) => e)
    await mail.close()
    expect(mailErrors.RECIPIENT_REFUSED.is(err)).toBe(true)
    const e = err as { status: number; extensions: Record<string, unknown> }
    expect(e.status).toBe(502)
    expect(e.extensions).toEqual({
      command: "RCPT TO",
      responseCode: 550,
      response: "550 5.1.1 Mailbox unavailable",
    })
  })

  it("gives TRUSS_ERR_MAIL_AUTH_FAILED with the server's 535 reply for a wrong password", async () => {
    const mail = mailer({ user: "app", pass: "wrong" })
    const err = await mail
      .send({ to: "ada@example.com", subject: "Hi", text: "x" })
      .catch((e: unknown) => e)
    await mail.close()
    expect(mailErrors.AUTH_FAILED.is(err)).toBe(true)
    expect((err as { extensions: Record<string, unknown> }).extensions).toEqual({
      command: "AUTH PLAIN",
      responseCode: 535,
      response: "535 Invalid username or password",
    })
  })

  it("gives TRUSS_ERR_MAIL_CONNECTION when the server drops the connection", async () => {
    const { createServer } = await import("node:net")
    const dropper = createServer((s) => s.destroy())
    await new Promise<void>((r) => dropper.listen(0, "127.0.0.1", () => r()))
    const mail = createMailer({
      from: "a@acme.test",
      transport: smtpTransport({
        host: "127.0.0.1",
        port: (dropper.address() as AddressInfo).port,
        pool: false,
      }),
    })
    const err = await mail
      .send({ to: "ada@example.com", subject: "Hi", text: "x" })
      .catch((e: unknown) => e)
    dropper.close()
    expect(mailErrors.CONNECTION.is(err)).toBe(true)
    expect((err as { extensions: Record<string, unknown> }).extensions).toEqual({
      command: "CONN",
      responseCode: undefined,
      response: "Connection closed unexpectedly",
    })
  })
})
