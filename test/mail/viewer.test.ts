import { describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { createMailer, mailViewer, memoryTransport } from "../../src/mail/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"

async function setup() {
  const transport = memoryTransport()
  const mail = createMailer({ transport, from: "Acme <no-reply@acme.test>" })
  await mail.send({
    to: "Ada <ada@example.com>",
    subject: "Reset your password",
    html: '<h1>Reset</h1><p>Hi Ada, <a href="https://acme.test/r">choose a new password</a>.</p><script>alert(1)</script>',
    attachments: [{ filename: "terms.txt", content: "Be nice." }],
  })
  const app = new App()
  app.register(mailViewer(transport))
  return { app, id: transport.outbox[0]!.id }
}

describe("mailViewer", () => {
  it("lists mails and serves the HTML part with a sandboxing CSP", async () => {
    const { app, id } = await setup()
    const list = await app.request("/_mail/")
    expect(list.status).toBe(200)
    expect(await list.text()).toContain(`<a href="/_mail/${id}">Reset your password</a>`)
    const html = await app.request(`/_mail/${id}/html`)
    expect(html.headers.get("content-security-policy")).toBe(
      "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; sandbox",
    )
    const show = await (await app.request(`/_mail/${id}`)).text()
    expect(show).toContain(`<iframe sandbox title="HTML part" src="/_mail/${id}/html"></iframe>`)
    expect(show).toContain("<dt>To</dt><dd>Ada &lt;ada@example.com&gt;</dd>")
    const file = await app.request(`/_mail/${id}/attachments/0`)
    expect([file.status, await file.text()]).toEqual([200, "Be nice."])
    expect((await app.request("/_mail/nope")).status).toBe(404)
  })

  it.skipIf(!browserTestsEnabled("mail viewer"))(
    "renders in Chromium (screenshot in $TMPDIR)",
    async () => {
      const { app, id } = await setup()
      const server = await app.listen({ port: 0, host: "127.0.0.1" })
      const browser = await launchChromium()
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } })
        const base = `http://127.0.0.1:${(server as { port: number }).port}`
        await page.goto(`${base}/_mail/${id}`)
        expect(await page.locator("h1").first().textContent()).toBe("Reset your password")
        await page.screenshot({
          path: `${process.env.TMPDIR ?? "/tmp"}/truss-mail-viewer.png`,
          fullPage: true,
        })
      } finally {
        await browser.close()
        await (server as { close(): Promise<void> }).close()
      }
    },
  )
})
