import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { TemplateEngine } from "./engine.js"

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "truss-sync-render-"))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text)
  return d
}

const files = {
  "base.liquid": "<main>{% block content %}{% endblock %}</main>",
  "page.liquid":
    '{% layout "base.liquid" %}{% block content %}{% include "item.liquid" %}{{ "a.css" | static }}{% endblock %}',
  "item.liquid": "<b>{{ name }}</b>",
  "strict.liquid": "{{ missing }}",
}

describe("TemplateEngine: synchronous renders once a template is warm", () => {
  it("renders layouts, partials and escaping the same on the first and later renders", async () => {
    const engine = new TemplateEngine({ dir: dir(files), debug: false })
    const expected = "<main><b>&lt;i&gt;&#39;Ada&#39;</b>/static/a.css</main>"
    expect(await engine.render("page.liquid", { name: "<i>'Ada'" })).toBe(expected)
    expect(await engine.render("page.liquid", { name: "<i>'Ada'" })).toBe(expected)
    expect(await engine.render("page.liquid", { name: "Bo" })).toBe(
      "<main><b>Bo</b>/static/a.css</main>",
    )
  })

  it("still awaits a promise passed in the data of a warm template", async () => {
    const engine = new TemplateEngine({ dir: dir(files), debug: false })
    await engine.render("item.liquid", { name: "first" })
    expect(await engine.render("item.liquid", { name: Promise.resolve("later") })).toBe(
      "<b>later</b>",
    )
  })

  it("still awaits custom filters, which may be async", async () => {
    const d = dir({ "f.liquid": "{{ name | slow }}" })
    const slow = async (v: unknown) => `${v}!`
    const engine = new TemplateEngine({ dir: d, debug: false, filters: { slow } })
    expect(await engine.render("f.liquid", { name: "a" })).toBe("a!")
    expect(await engine.render("f.liquid", { name: "b" })).toBe("b!")
  })

  it("renders warm templates through compiled closures with the same output", async () => {
    const d = dir({
      "list.liquid":
        "{% for r in rows %}{% if forloop.first %}first {% endif %}{{ r.name | upcase }}{% unless forloop.last %}, {% endunless %}{% else %}none{% endfor %}",
    })
    const engine = new TemplateEngine({ dir: d, debug: false })
    const rows = [{ name: "<a>" }, { name: "b" }]
    const first = await engine.render("list.liquid", { rows })
    expect(first).toBe("first &lt;A&gt;, B")
    expect(await engine.render("list.liquid", { rows })).toBe(first)
    expect(await engine.render("list.liquid", { rows: [] })).toBe("none")
  })

  it("fails the same way on the first (interpreted) and later (compiled) renders", async () => {
    const d = dir({ "bad.liquid": "line one\n{{ item.value }}" })
    const engine = new TemplateEngine({ dir: d, debug: false })
    const item = {
      get value(): string {
        throw new Error("getter failed")
      },
    }
    const fail = (): Promise<{ code: string; message: string }> =>
      engine.render("bad.liquid", { item }).then(
        () => ({ code: "none", message: "" }),
        (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
      )
    const a = await fail() // cold: LiquidJS interprets it
    expect(await engine.render("bad.liquid", { item: { value: "ok" } })).toBe("line one\nok")
    const b = await fail() // warm: the compiled closures
    expect(b).toEqual(a)
    expect(a.code).toMatch(/^TRUSS_ERR_TEMPLATE_/)
    expect(a.message).toContain("bad.liquid")
  })

  it("throws the same coded error from a warm template", async () => {
    const engine = new TemplateEngine({ dir: dir(files), debug: false, strictVariables: true })
    await engine.render("item.liquid", { name: "x" })
    const first = await engine.render("strict.liquid").catch((e: { code: string }) => e.code)
    const again = await engine.render("strict.liquid").catch((e: { code: string }) => e.code)
    expect([first, again]).toEqual(["TRUSS_ERR_TEMPLATE_UNDEFINED", "TRUSS_ERR_TEMPLATE_UNDEFINED"])
  })
})
