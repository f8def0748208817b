import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PAYLOADS } from "../../test/browser/xss-payloads.js"
import { TemplateEngine } from "./index.js"

/** The escaping an HTML parser undoes: what must appear in place of each payload. */
function expectedEscape(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&#34;")
    .replaceAll("'", "&#39;")
}

/** Decodes exactly the five entities the escaper emits, as an HTML parser would. */
function decode(s: string): string {
  return s.replace(
    /&(?:amp|lt|gt|#34|#39);/g,
    (e) => ({ "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&#39;": "'" })[e]!,
  )
}

let dir: string
let engine: TemplateEngine
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "truss-xss-"))
  writeFileSync(join(dir, "text.html"), "<p>{{ v }}</p>")
  writeFileSync(join(dir, "attr.html"), `<a title="{{ v }}" href="/x?q={{ v }}">t</a>`)
  writeFileSync(join(dir, "single.html"), `<input value='{{ v }}'>`)
  engine = new TemplateEngine({ dir, debug: true })
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("autoescape against the OWASP XSS filter-evasion payloads", () => {
  it("has 48 distinct classic payloads", () => {
    expect(new Set(PAYLOADS).size).toBe(48)
  })

  for (const [i, payload] of PAYLOADS.entries()) {
    it(`escapes payload ${i + 1} in element text`, async () => {
      const html = await engine.render("text.html", { v: payload })
      expect(html).toBe(`<p>${expectedEscape(payload)}</p>`)
      const inner = html.slice(3, -4)
      expect(inner).not.toMatch(/[<>"']/)
      expect(decode(inner)).toBe(payload)
    })

    it(`escapes payload ${i + 1} in a double-quoted attribute`, async () => {
      const html = await engine.render("attr.html", { v: payload })
      const escaped = expectedEscape(payload)
      expect(html).toBe(`<a title="${escaped}" href="/x?q=${escaped}">t</a>`)
      const title = /^<a title="([^"]*)" href="/.exec(html)?.[1]
      expect(title).toBe(escaped)
      expect(decode(title!)).toBe(payload)
    })

    it(`escapes payload ${i + 1} in a single-quoted attribute`, async () => {
      const html = await engine.render("single.html", { v: payload })
      expect(html).toBe(`<input value='${expectedEscape(payload)}'>`)
      expect(html.slice(14, -2)).not.toMatch(/['"<>]/)
      expect(decode(html.slice(14, -2))).toBe(payload)
    })
  }
})
