import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { TemplateEngine } from "./index.js"

/** Classic payloads from the OWASP XSS Filter Evasion Cheat Sheet. */
const PAYLOADS = [
  `<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>`,
  `javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"\`/+/onmouseover=1/+/[*/[]/+alert(42);//'>`,
  `<IMG SRC="javascript:alert('XSS');">`,
  `<IMG SRC=javascript:alert('XSS')>`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  `<IMG SRC=javascript:alert(&quot;XSS&quot;)>`,
  "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
  `\\<a onmouseover="alert(document.cookie)"\\>xxs link\\</a\\>`,
  `<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>`,
  `<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>`,
  `<IMG SRC=# onmouseover="alert('xxs')">`,
  `<IMG SRC= onmouseover="alert('xxs')">`,
  `<IMG onmouseover="alert('xxs')">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC="jav&#x0A;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=alert("XSS")>`,
  `<<SCRIPT>alert("XSS");//\\<</SCRIPT>`,
  `<SCRIPT SRC=http://xss.rocks/xss.js?< B >`,
  `<SCRIPT SRC=//xss.rocks/.j>`,
  `<IMG SRC="\`<javascript:alert>\`('XSS')"`,
  `<iframe src=http://xss.rocks/scriptlet.html <`,
  `\\";alert('XSS');//`,
  `</TITLE><SCRIPT>alert("XSS");</SCRIPT>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:alert('XSS');">`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<IMG DYNSRC="javascript:alert('XSS')">`,
  `<svg/onload=alert('XSS')>`,
  `<BODY ONLOAD=alert('XSS')>`,
  `<BGSOUND SRC="javascript:alert('XSS');">`,
  `<LINK REL="stylesheet" HREF="javascript:alert('XSS');">`,
  `<STYLE>@import'http://xss.rocks/xss.css';</STYLE>`,
  `<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert('XSS');">`,
  `<IFRAME SRC="javascript:alert('XSS');"></IFRAME>`,
  `<TABLE BACKGROUND="javascript:alert('XSS')">`,
  `<DIV STYLE="background-image: url(javascript:alert('XSS'))">`,
  `<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->`,
  `<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>`,
  `" onfocus="alert(1)" autofocus="`,
  `' onmouseover='alert(1)`,
  `"><script>alert(document.domain)</script>`,
  `<a href="javascript&colon;alert(1)">x</a>`,
]

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
  }
})
