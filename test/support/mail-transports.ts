import { describe, expect, it } from "vitest"
import { createMailer, type MailTransport, mailErrors } from "../../src/mail/index.js"

/**
 * The conformance suite every MailTransport passes: it accepts a built mail, reports
 * the Message-ID and every envelope recipient, and `read()` shows the mail delivered.
 */
export function mailTransportConformance(
  name: string,
  make: () => Promise<{
    transport: MailTransport
    read: () => Promise<string>
    done: () => Promise<void>
  }>,
): void {
  describe(`MailTransport conformance: ${name}`, () => {
    it("delivers a mail and reports its Message-ID and recipients", async () => {
      const { transport, read, done } = await make()
      const mail = createMailer({ transport, from: "app@acme.test" })
      const r = await mail.send({
        to: "ada@example.com",
        cc: "bob@example.com",
        subject: "Conformance",
        text: "Hello",
      })
      expect(r.accepted).toEqual(["ada@example.com", "bob@example.com"])
      expect(r.rejected).toEqual([])
      expect(r.messageId).toMatch(/^<[^<>]+@acme\.test>$/)
      expect(await read()).toContain("Subject: Conformance")
      await done()
    })
    it("refuses a subject with CRLF before the transport sees it", async () => {
      const { transport, done } = await make()
      const mail = createMailer({ transport, from: "app@acme.test" })
      const err = await mail
        .send({ to: "ada@example.com", subject: "Hi\r\nBcc: evil@x.test", text: "x" })
        .catch((e: unknown) => e)
      expect(mailErrors.HEADER_INJECTION.is(err)).toBe(true)
      await done()
    })
  })
}
