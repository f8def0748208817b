import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser } from "playwright-core"
import { TemplateEngine } from "truss/templates"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { browserTestsEnabled, launchChromium } from "../support/browser.js"
import { PAYLOADS } from "./xss-payloads.js"

const enabled = browserTestsEnabled("templates XSS browser test")

describe.skipIf(!enabled)("autoescaped payloads parsed by Chromium", () => {
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "truss-xss-browser-"))
    writeFileSync(
      join(dir, "page.liquid"),
      `<!doctype html><body>{% for v in payloads %}<p>{{ v }}</p><a title="{{ v }}" href="/x?q={{ v }}">t</a><input value='{{ v }}'>{% endfor %}</body>`,
    )
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it("shows every payload as text and attribute value, creating no element and running no script", async () => {
    const html = await new TemplateEngine({ dir, debug: true }).render("page.liquid", {
      payloads: PAYLOADS,
    })
    const page = await browser.newPage()
    let dialogs = 0
    page.on("dialog", (d) => {
      dialogs++
      void d.dismiss()
    })
    await page.route("**/*", (route) => route.abort())
    await page.setContent(html, { waitUntil: "load" })
    const seen = await page.evaluate(() => ({
      tags: [...document.body.querySelectorAll("*")].map((e) => e.tagName),
      texts: [...document.querySelectorAll("p")].map((p) => p.textContent),
      titles: [...document.querySelectorAll("a")].map((a) => a.getAttribute("title")),
      hrefs: [...document.querySelectorAll("a")].map((a) => a.getAttribute("href")),
      values: [...document.querySelectorAll("input")].map((i) => i.value),
    }))
    expect(seen.tags).toEqual(PAYLOADS.flatMap(() => ["P", "A", "INPUT"]))
    expect(seen.texts).toEqual(PAYLOADS)
    expect(seen.titles).toEqual(PAYLOADS)
    expect(seen.hrefs).toEqual(PAYLOADS.map((v) => `/x?q=${v}`))
    expect(seen.values).toEqual(PAYLOADS)
    expect(dialogs).toBe(0)
  })
})
