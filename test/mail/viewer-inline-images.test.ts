import { describe, expect, it } from "vitest"
import { App } from "../../src/index.js"
import { createMailer, mailViewer, memoryTransport } from "../../src/mail/index.js"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"

// A 1×1 PNG and a 1×1 GIF.
const PNG =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
const GIF = "R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="

async function setup() {
  const transport = memoryTransport()
  const mail = createMailer({ transport, from: "Acme <no-reply@acme.test>" })
  await mail.send({
    to: "ada@example.com",
    subject: "Welcome",
    html: [
      '<p><img src="cid:logo" alt="Logo" width="40"></p>',
      "<div style=\"background:url('cid:bg%40acme')\">x</div>",
      "<img src=cid:logo>",
      '<img src="cid:missing" alt="gone">',
      '<a href="cid:terms">terms</a>',
    ].join(""),
    attachments: [
      { filename: "logo.png", content: new Uint8Array(Buffer.from(PNG, "base64")), cid: "logo" },
      {
        filename: "bg",
        content: new Uint8Array(Buffer.from(GIF, "base64")),
        contentType: "image/gif",
        cid: "bg@acme",
      },
      { filename: "terms.txt", content: "Be nice.", cid: "terms" },
    ],
  })
  const app = new App()
  app.register(mailViewer(transport))
  return { app, id: transport.outbox[0]!.id }
}

describe("mailViewer: inline images", () => {
  it("serves the HTML part with each cid: image as a data: URL", async () => {
    const { app, id } = await setup()
    const res = await app.request(`/_mail/${id}/html`)
    expect(res.status).toBe(200)
    expect(res.headers.get("content-security-policy")).toBe(
      "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; sandbox",
    )
    expect(await res.text()).toBe(
      [
        `<p><img src="data:image/png;base64,${PNG}" alt="Logo" width="40"></p>`,
        `<div style="background:url('data:image/gif;base64,${GIF}')">x</div>`,
        `<img src=data:image/png;base64,${PNG}>`,
        // An unknown id and a part that is not an image stay as they are.
        '<img src="cid:missing" alt="gone">',
        '<a href="cid:terms">terms</a>',
      ].join(""),
    )
  })

  it("lists the inline parts as attachments too", async () => {
    const { app, id } = await setup()
    const show = await (await app.request(`/_mail/${id}`)).text()
    expect(show).toContain(
      `<li><a href="/_mail/${id}/attachments/0">logo.png</a> (inline, cid:logo)</li>`,
    )
  })

  it.skipIf(!browserTestsEnabled("mail viewer inline images"))(
    "shows the image in Chromium under the viewer's CSP",
    async () => {
      const { app, id } = await setup()
      const server = await app.listen({ port: 0, host: "127.0.0.1", signals: false })
      const browser = await launchChromium()
      try {
        const page = await browser.newPage()
        await page.goto(`${server.url}/_mail/${id}/html`)
        const sizes = await page.$$eval("img", (imgs) =>
          imgs.map((i) => [i.getAttribute("alt"), i.complete, i.naturalWidth]),
        )
        expect(sizes).toEqual([
          ["Logo", true, 1],
          [null, true, 1],
          ["gone", true, 0],
        ])
      } finally {
        await browser.close()
        await server.close()
      }
    },
  )
})
