import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { App, type Context, defineViewLocal } from "../kit.js"
import { csrf, secureHeaders } from "../security/index.js"
import { sessions } from "../sessions/index.js"
import { createClient } from "../testing/index.js"
import { TemplateEngine, templates } from "./index.js"

let dir: string
function write(name: string, text: string): void {
  mkdirSync(dirname(join(dir, name)), { recursive: true })
  writeFileSync(join(dir, name), text)
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "truss-templates-"))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function appWith(options: { debug?: boolean; staticPrefix?: string } = {}): App {
  const app = new App({ debug: options.debug ?? false, logger: false })
  app.use(templates({ dir, ...options }))
  return app
}

async function body(res: Response): Promise<string> {
  return (await res.text()).trim()
}

describe("templates(): rendering", () => {
  it("escapes every output and lets raw and safe through", async () => {
    write("x.html", "{{ v }}|{{ v | raw }}|{{ v | safe }}|{{ v | upcase }}")
    const app = appWith().get("/", (c) => c.render("x.html", { v: `<b a="1">'&` }))
    const res = await app.request("/")
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(await body(res)).toBe(
      `&lt;b a=&#34;1&#34;&gt;&#39;&amp;|<b a="1">'&|<b a="1">'&|&lt;B A=&#34;1&#34;&gt;&#39;&amp;`,
    )
  })

  it("renders with the status given to c.render()", async () => {
    write("x.html", "nope")
    const res = await appWith()
      .get("/", (c) => c.render("x.html", {}, 422))
      .request("/")
    expect(res.status).toBe(422)
    expect(await body(res)).toBe("nope")
  })

  it("fills layout blocks and renders partials with their own arguments", async () => {
    write(
      "base.html",
      "<title>{% block title %}Site{% endblock %}</title><main>{% block content %}{% endblock %}</main>",
    )
    write("partials/item.html", "<li>{{ item }}</li>")
    write("partials/note.html", "<em>{{ name }}</em>")
    write(
      "page.html",
      `{% layout "base.html" %}{% block title %}Notes · {{ block.super }}{% endblock %}{% block content %}<ul>{% for i in items %}{% render "partials/item.html", item: i %}{% endfor %}</ul>{% include "partials/note.html" %}{% endblock %}`,
    )
    const res = await appWith()
      .get("/", (c) => c.render("page.html", { items: ["a", "<b>"], name: "Ada" }))
      .request("/")
    expect(await body(res)).toBe(
      "<title>Notes · Site</title><main><ul><li>a</li><li>&lt;b&gt;</li></ul><em>Ada</em></main>",
    )
  })

  it("builds URLs of named routes and static assets", async () => {
    write(
      "x.html",
      `{{ "note.edit" | url: id: note.id }} {{ "home" | url }} {{ "css/site.css" | static }} {{ "https://cdn.example/x.js" | static }}`,
    )
    const app = appWith({ staticPrefix: "/assets/" })
    app.get("/", { name: "home" }, (c) => c.render("x.html", { note: { id: 7 } }))
    app.get("/notes/:id/edit", { name: "note.edit" }, () => "")
    expect(await body(await app.request("/"))).toBe(
      "/notes/7/edit / /assets/css/site.css https://cdn.example/x.js",
    )
  })

  it("defaults the static prefix to /static", async () => {
    write("x.html", `{{ "/img/a b.png" | static }}`)
    expect(
      await body(
        await appWith()
          .get("/", (c) => c.render("x.html"))
          .request("/"),
      ),
    ).toBe("/static/img/a%20b.png")
  })

  it("shows the request, a null user and the app's globals", async () => {
    write(
      "x.html",
      "{{ request.method }} {{ request.path }} {{ request.query.q }} {{ site }} {% if user %}in{% else %}anon{% endif %}",
    )
    const app = new App({ logger: false })
    app.use(templates({ dir, debug: true, globals: { site: "Notes" } }))
    app.get("/search", (c) => c.render("x.html"))
    expect(await body(await app.request("/search?q=%3Cx%3E"))).toBe(
      "GET /search &lt;x&gt; Notes anon",
    )
  })

  it("shows the CSP nonce secureHeaders() puts in the policy, or nothing without it", async () => {
    write("x.html", `<script nonce="{{ cspNonce }}"></script>`)
    const app = appWith()
    app.get("/with", secureHeaders(), (c) => c.render("x.html"))
    app.get("/without", (c) => c.render("x.html"))
    const res = await app.request("/with")
    const nonce = /'nonce-([A-Za-z0-9+/=]{24})'/.exec(
      res.headers.get("content-security-policy") ?? "",
    )
    expect(nonce?.[1]?.length).toBe(24)
    expect(await body(res)).toBe(`<script nonce="${nonce?.[1]}"></script>`)
    expect(await body(await app.request("/without"))).toBe(`<script nonce=""></script>`)
  })

  it("shows the view locals a battery defines, computed only when read", async () => {
    write("x.html", "{{ testLocal.name }}")
    write("plain.html", "plain")
    let reads = 0
    defineViewLocal("testLocal", (c) => {
      reads++
      return { name: c.req.query.get("name") }
    })
    const app = appWith()
    app.get("/", (c) => c.render("x.html"))
    app.get("/plain", (c) => c.render("plain.html"))
    expect(await body(await app.request("/plain"))).toBe("plain")
    expect(reads).toBe(0)
    expect(await body(await app.request("/?name=%3CAda%3E"))).toBe("&lt;Ada&gt;")
    expect(reads).toBe(1)
  })

  it("shows flash messages from sessions(), consuming them only when the template reads them", async () => {
    write(
      "with.html",
      "{% for f in flashes %}[{{ f.category }}: {{ f.message }}]{% endfor %}{{ flashes.size }}",
    )
    write("without.html", "plain")
    const app = appWith()
    app.use(sessions({ secret: "s".repeat(32) }))
    app.post("/save", (c) => {
      c.flash("success", "Saved <b>")
      return c.text("ok")
    })
    app.get("/plain", (c) => c.render("without.html"))
    app.get("/flash", (c) => c.render("with.html"))
    const client = createClient(app)
    await client.post("/save")
    expect(await body(await client.get("/plain"))).toBe("plain")
    expect(await body(await client.get("/flash"))).toBe("[success: Saved &lt;b&gt;]1")
    expect(await body(await client.get("/flash"))).toBe("0")
  })

  it("writes the CSRF hidden input with {% csrf %} and exposes csrfToken, both accepted by csrf()", async () => {
    write("form.html", `<form method="post">{% csrf %}</form>{{ csrfToken }}`)
    const app = new App({ logger: false })
    app.use(templates({ dir, csrfField: "csrf_token" }), sessions({ secret: "s".repeat(32) }))
    app.use(csrf({ field: "csrf_token" }))
    app.get("/", (c) => c.render("form.html"))
    app.post("/", () => "saved")
    const client = createClient(app)
    const html = await body(await client.get("/"))
    const match =
      /^<form method="post"><input type="hidden" name="csrf_token" value="([\w-]+)"><\/form>([\w-]+)$/.exec(
        html,
      )
    expect(match).not.toBeNull()
    for (const token of [match![1]!, match![2]!]) {
      const res = await client.form("/", { csrf_token: token })
      expect(res.status).toBe(200)
    }
    expect((await client.form("/", { csrf_token: "x" })).status).toBe(403)
  })

  it("registers custom filters, HTML filters and tags", async () => {
    write("x.html", "{{ n | double }} {{ n | bold }} {% year %}")
    const app = new App({ logger: false })
    app.use(
      templates({
        dir,
        filters: {
          double: (v: number) => v * 2,
          bold: { raw: true, handler: (v: unknown) => `<b>${String(v)}</b>` },
        },
        tags: { year: { render: (_ctx, emitter) => emitter.write("2026") } },
      }),
    )
    app.get("/", (c) => c.render("x.html", { n: 21 }))
    expect(await body(await app.request("/"))).toBe("42 <b>21</b> 2026")
  })

  it("renders outside a request with TemplateEngine", async () => {
    write("mail.html", "Hi {{ name }}")
    const engine = new TemplateEngine({ dir, debug: false })
    expect(await engine.render("mail.html", { name: "<Ada>" })).toBe("Hi &lt;Ada&gt;")
    expect(await engine.renderString("{{ 1 | plus: 1 }}")).toBe("2")
  })
})

describe("templates(): errors name the file and line", () => {
  async function failure(
    name: string,
    options: { debug?: boolean; data?: Record<string, unknown> } = {},
  ): Promise<{ code: string; message: string; status: number }> {
    const engine = new TemplateEngine({ dir, debug: options.debug ?? true })
    const err = await engine.render(name, options.data).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string; status: number },
    )
    if (err === undefined) throw new Error("expected a render error")
    return { code: err.code, message: err.message, status: err.status }
  }

  it("refuses a bad dir at startup", () => {
    expect(() => templates({ dir: join(dir, "nope") })).toThrow(
      `Option templates({ dir }) is invalid: ${join(dir, "nope")} is not a directory; create it or point dir at your templates folder.`,
    )
  })

  it("names a missing template", async () => {
    expect(await failure("nope.html")).toEqual({
      code: "TRUSS_ERR_TEMPLATE_NOT_FOUND",
      status: 500,
      message: `Template "nope.html" was not found in ${dir}. Check the name passed to c.render(), {% layout %}, {% render %} or {% include %}: it is relative to templates({ dir }).`,
    })
  })

  it("names a missing partial and the line that includes it", async () => {
    write("page.html", `line one\n  {% render "partials/gone.html" %}`)
    expect((await failure("page.html")).message).toBe(
      `Template "partials/gone.html" was not found in ${dir} (included from page.html line 2, col 3). Check the name passed to c.render(), {% layout %}, {% render %} or {% include %}: it is relative to templates({ dir }).`,
    )
  })

  it("names an undefined variable with its file and line in debug", async () => {
    write("partials/p.html", "<p>\n{{ title }} {{ nope.deep }}</p>")
    write("page.html", `{% render "partials/p.html", title: "t" %}`)
    expect(await failure("page.html")).toEqual({
      code: "TRUSS_ERR_TEMPLATE_UNDEFINED",
      status: 500,
      message: `Undefined variable "nope" in partials/p.html line 2, col 16. Pass it in the data given to c.render(), or write {{ nope | default: "" }} if it is optional.`,
    })
  })

  it("keeps if and default lenient about undefined variables in debug", async () => {
    write("x.html", `{% if missing %}yes{% else %}no{% endif %}{{ missing | default: "-" }}`)
    expect(await new TemplateEngine({ dir, debug: true }).render("x.html")).toBe("no-")
  })

  it("renders undefined variables as empty outside debug", async () => {
    write("x.html", "[{{ nope }}]")
    expect(await new TemplateEngine({ dir, debug: false }).render("x.html")).toBe("[]")
  })

  it("names a syntax error's file and line", async () => {
    write("bad.html", "ok\n{% if x %}\nnever closed")
    expect(await failure("bad.html")).toEqual({
      code: "TRUSS_ERR_TEMPLATE_SYNTAX",
      status: 500,
      message:
        "Template syntax error in bad.html line 2, col 1: tag {% if x %} not closed. Fix the tag or output at that line.",
    })
  })

  it("names an unknown filter", async () => {
    write("f.html", "{{ 1 | nosuch }}")
    expect((await failure("f.html")).message).toBe(
      "Template syntax error in f.html line 1, col 1: undefined filter: nosuch. Fix the tag or output at that line.",
    )
  })

  it("wraps a helper's error with the template position", async () => {
    write("u.html", `\n{{ "nope" | url }}`)
    const app = new App({ logger: false })
    const engine = new TemplateEngine({ dir, debug: true })
    app.use(templates(engine))
    let err: { code?: string; message?: string; cause?: { code?: string } } = {}
    app.onError((e, c) => {
      err = e as typeof err
      return c.text("failed", 500)
    })
    app.get("/", (c) => c.render("u.html"))
    await app.request("/")
    expect(err.code).toBe("TRUSS_ERR_TEMPLATE_RENDER")
    expect(err.message).toBe(
      `Rendering failed in u.html line 2, col 1: No route is named "nope". Give the route { name: "nope" } or use one of: (no named routes).`,
    )
    expect(err.cause?.code).toBe("TRUSS_ERR_ROUTE_NAME_UNKNOWN")
  })

  it("names the missing CSRF middleware when {% csrf %} has no token", async () => {
    write("form.html", "<form>{% csrf %}</form>")
    const app = new App({ logger: false })
    app.use(templates({ dir }))
    let message = ""
    app.onError((e, c) => {
      message = (e as Error).message
      return c.text("failed", 500)
    })
    app.get("/", (c) => c.render("form.html"))
    await app.request("/")
    expect(message).toBe(
      "Rendering failed in form.html line 1, col 7: c.csrfToken needs the CSRF middleware: add app.use(csrf()) from truss/security after sessions().",
    )
  })

  it("says url needs a request when rendering without one", async () => {
    write("u.html", `{{ "home" | url }}`)
    expect((await failure("u.html")).message).toBe(
      'Rendering failed in u.html line 1, col 1: The "url" helper needs a request: render with c.render() inside a route, or pass the context to engine.render(name, data, c).',
    )
  })

  it("refuses a template name outside the folder", async () => {
    writeFileSync(join(dir, "..", "truss-secret.html"), "secret")
    try {
      expect((await failure("../truss-secret.html")).code).toBe("TRUSS_ERR_TEMPLATE_NOT_FOUND")
    } finally {
      rmSync(join(dir, "..", "truss-secret.html"))
    }
  })
})

describe("templates(): caching", () => {
  function touch(name: string, text: string, seconds: number): void {
    write(name, text)
    const t = new Date(Date.now() + seconds * 1000)
    utimesSync(join(dir, name), t, t)
  }

  it("reloads an edited template, layout and partial in debug", async () => {
    touch("base.html", "A[{% block b %}{% endblock %}]", 0)
    touch("p.html", "p1", 0)
    touch(
      "page.html",
      `{% layout "base.html" %}{% block b %}one {% render "p.html" %}{% endblock %}`,
      0,
    )
    const engine = new TemplateEngine({ dir, debug: true })
    expect(await engine.render("page.html")).toBe("A[one p1]")
    touch(
      "page.html",
      `{% layout "base.html" %}{% block b %}two {% render "p.html" %}{% endblock %}`,
      10,
    )
    expect(await engine.render("page.html")).toBe("A[two p1]")
    touch("base.html", "B[{% block b %}{% endblock %}]", 20)
    touch("p.html", "p2", 20)
    expect(await engine.render("page.html")).toBe("B[two p2]")
  })

  it("reloads a partial referenced relative to its page in debug", async () => {
    touch("blog/post.liquid", `[{% render "./byline.liquid" %}]`, 0)
    touch("blog/byline.liquid", "by Ada", 0)
    const engine = new TemplateEngine({ dir, debug: true })
    expect(await engine.render("blog/post.liquid")).toBe("[by Ada]")
    touch("blog/byline.liquid", "by Grace", 10)
    expect(await engine.render("blog/post.liquid")).toBe("[by Grace]")
  })

  it("keeps parsed templates in production", async () => {
    touch("x.html", "one", 0)
    const engine = new TemplateEngine({ dir, debug: false })
    expect(await engine.render("x.html")).toBe("one")
    touch("x.html", "two", 10)
    expect(await engine.render("x.html")).toBe("one")
    expect(await new TemplateEngine({ dir, debug: false, cache: false }).render("x.html")).toBe(
      "two",
    )
  })

  it("takes the app's debug flag when the option is left out", async () => {
    write("x.html", "[{{ nope }}]")
    const dev = new App({ debug: true, logger: false })
    dev.use(templates({ dir }))
    dev.get("/", (c: Context) => c.render("x.html"))
    expect((await dev.request("/")).status).toBe(500)
    const prod = new App({ debug: false, logger: false })
    prod.use(templates({ dir }))
    prod.get("/", (c: Context) => c.render("x.html"))
    expect(await (await prod.request("/")).text()).toBe("[]")
  })
})
