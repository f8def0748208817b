import { Drop, Liquid, type Template } from "liquidjs"
import { describe, expect, it } from "vitest"
import { compileTemplates, renderCompiled } from "./compile.js"
import { registerHelpers } from "./helpers.js"

// The same settings TemplateEngine uses in production.
function liquid(): Liquid {
  const l = new Liquid({
    outputEscape: "escape",
    strictFilters: true,
    strictVariables: false,
    lenientIf: true,
    ownPropertyOnly: true,
    cache: true,
    templates: {
      "base.liquid": "<main>{% block body %}base{% endblock %}</main>",
      "row.liquid": "<i>{{ row.name }}</i>",
      "frame.liquid":
        "<html><title>{% block title %}Site{% endblock %}</title>{% block body %}{% endblock %}<footer>{% block footer %}(c) {{ n }}{% endblock %}</footer>{% block %}{% endblock %}</html>",
      "section.liquid":
        "{% layout 'frame.liquid' %}{% block title %}Section: {{ block.super }}{% endblock %}{% block body %}<section>{% block inner %}inner{% endblock %}</section>{% endblock %}",
    },
  })
  registerHelpers(l, { staticPrefix: "/static", csrfField: "_csrf" })
  l.registerFilter("boom", (v: unknown) => {
    throw new Error(`boom on ${String(v)}`)
  })
  l.registerFilter(
    "pair",
    (v: unknown, ...args: unknown[]) => `${String(v)}:${JSON.stringify(args)}`,
  )
  return l
}

class Person extends Drop {
  constructor(readonly first: string) {
    super()
  }
  greeting(): string {
    return `hi ${this.first}`
  }
  override liquidMethodMissing(key: string): string {
    return `missing:${key}`
  }
}

const data = {
  title: `<b>"Fish" & 'Chips'</b>`,
  n: 7,
  zero: 0,
  empty: [],
  blankText: "  ",
  nil: null,
  flag: false,
  list: [3, 1, 2],
  words: ["a", "b", "c", "d"],
  rows: [
    { id: 2, name: "<two>", tags: ["x", "y"] },
    { id: 1, name: "one", tags: [] },
  ],
  nested: { a: { b: { c: "deep" } }, key: "a" },
  obj: { x: 1, y: 2 },
  person: new Person("Ada"),
  later: { toLiquid: () => ({ shown: "via toLiquid" }) },
  fn: { get: () => "getter" },
  text: "hello",
  inherited: Object.create({ hidden: "proto" }),
  date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
}

/** Each template renders identically through LiquidJS and through the compiled closures. */
const corpus: Record<string, string> = {
  text: "plain <html> text",
  output: "{{ title }}|{{ n }}|{{ nil }}|{{ missing }}|{{ flag }}",
  raw: "{{ title | raw }}|{{ title | safe }}",
  paths: "{{ nested.a.b.c }}|{{ nested[nested.key].b.c }}|{{ nested['a'].b.c }}|{{ rows[1].name }}",
  special:
    "{{ list.size }}|{{ list.first }}|{{ list.last }}|{{ text.size }}|{{ obj.size }}|{{ list[-1] }}",
  drops: "{{ person.first }}|{{ person.greeting }}|{{ person.other }}|{{ later.shown }}",
  functions: "{{ fn.get }}|{{ inherited.hidden }}|{{ rows.first.tags.size }}",
  filters:
    "{{ title | downcase | truncate: 10 }}|{{ words | join: ', ' }}|{{ missing | default: 'dflt' }}|{{ n | plus: 3 | times: 2 }}",
  keywordArgs: "{{ 'x' | pair: 1, two: n, three: 'q' }}",
  generatorFilters:
    "{{ rows | map: 'name' | join: ',' }}|{{ rows | where: 'id', 1 | map: 'name' | first }}|{{ rows | sort: 'id' | map: 'id' | join }}",
  date: "{{ date | date: '%Y-%m-%d %H:%M', 'UTC' }}",
  literals: "{{ 'quoted' }}|{{ 42 }}|{{ true }}|{{ nil }}|{{ 1.5 }}",
  for: "{% for r in rows %}[{{ forloop.index }}/{{ forloop.length }} {{ r.id }} {{ r.name }} {{ forloop.first }} {{ forloop.last }} {{ forloop.rindex }}]{% endfor %}",
  forElse:
    "{% for x in empty %}{{ x }}{% else %}none{% endfor %}|{% for x in nil %}{{ x }}{% else %}nil{% endfor %}",
  forNested:
    "{% for r in rows %}{% for t in r.tags %}{{ r.id }}{{ t }}{{ forloop.index0 }}{% else %}-{% endfor %}{% endfor %}",
  forBreak:
    "{% for w in words %}{% if w == 'c' %}{% break %}{% endif %}{% if w == 'a' %}{% continue %}{% endif %}{{ w }}{% endfor %}",
  forModifiers:
    "{% for w in words limit: 2 %}{{ w }}{% endfor %}|{% for w in words offset: continue %}{{ w }}{% endfor %}|{% for w in words reversed %}{{ w }}{% endfor %}",
  forRangeAndString:
    "{% for i in (1..3) %}{{ i }}{% endfor %}|{% for c in text %}{{ c }}{% endfor %}",
  forObject: "{% for pair in obj %}{{ pair[0] }}={{ pair[1] }};{% endfor %}",
  forloopDrop: "{% for w in words %}{{ forloop }}{% endfor %}",
  if: "{% if n > 5 and flag == false %}big{% elsif n > 1 %}mid{% else %}small{% endif %}",
  ifOperators:
    "{% if words contains 'b' %}has{% endif %}{% if text contains 'ell' %}sub{% endif %}{% if nil == empty %}?{% endif %}{% if empty == empty %}e{% endif %}{% if blankText == blank %}bl{% endif %}{% if zero %}0t{% endif %}{% if missing %}m{% else %}nm{% endif %}{% if n >= 7 or nil %}or{% endif %}{% if n != 7 %}ne{% endif %}",
  ifFilters:
    "{% if words | first %}a{% endif %}{% if nil | default: 'd' %}d{% endif %}{% if empty | first %}e{% endif %}",
  ifHalfCompilable: "{% if flag %}a{% elsif (1..3) contains 2 %}{{ n }}{% endif %}",
  unless:
    "{% unless flag %}u1{% endunless %}{% unless n %}x{% elsif zero %}z{% else %}else{% endunless %}",
  assign:
    "{% assign t = title | upcase %}{{ t }}{% assign m = rows | map: 'id' %}{{ m | join: '-' }}{% for r in rows %}{% assign last = r.name %}{% endfor %}{{ last }}",
  capture: "{% capture c %}<{{ n }}>{% endcapture %}{{ c }}",
  case: "{% case n %}{% when 1 %}one{% when 7 %}seven{% else %}other{% endcase %}",
  comment: "a{% comment %}{{ title }}{% endcomment %}b{% # inline %}c",
  rawTag: "{% raw %}{{ title }}{% endraw %}",
  whitespace: "a  {{- n -}}  b {%- if true -%}  c  {%- endif -%} d",
  increment: "{% increment k %}{% increment k %}{{ k }}{% decrement j %}",
  cycle: "{% for w in words %}{% cycle 'odd', 'even' %}{% endfor %}",
  include: "{% for row in rows %}{% include 'row.liquid' %}{% endfor %}",
  render: "{% for row in rows %}{% render 'row.liquid', row: row %}{% endfor %}",
  layout: "{% layout 'base.liquid' %}{% block body %}{{ title }}{% endblock %}",
  layoutSuper:
    "{% layout 'frame.liquid' %}{% block title %}{{ title }} | {{ block.super }}{% endblock %}{% block body %}{% for r in rows %}{% include 'row.liquid' %}{% endfor %}{% endblock %}",
  layoutAnonymous: "{% layout 'frame.liquid' %}outside any block {{ n }}",
  layoutNested:
    "{% layout 'section.liquid' %}{% block title %}Page / {{ block.super }}{% endblock %}{% block inner %}{{ title }}{% endblock %}",
  layoutDynamic:
    "{% assign f = 'base.liquid' %}{% layout f %}{% block body %}{% if flag %}on{% else %}off {{ n }}{% endif %}{% endblock %}",
  layoutNone: "{% layout none %}{% block body %}plain {{ n }}{% endblock %}",
  echo: "{% liquid\nfor w in words\necho w | upcase\nendfor %}",
  tablerow: "{% tablerow w in words cols: 2 %}{{ w }}{% endtablerow %}",
  globals: "{{ site }}|{{ n }}",
}

/** The nodes each corpus template leaves to LiquidJS; every other node is compiled. */
const interpreted: Record<string, string> = {
  paths: "",
  forModifiers:
    "{% for w in words limit: 2 %} {% for w in words offset: continue %} {% for w in words reversed %}",
  forRangeAndString: "{% for i in (1..3) %}",
  forBreak: "{% break %} {% continue %}",
  ifHalfCompilable: "{% if flag %}",
  capture: "{% capture c %}",
  case: "{% case n %}",
  comment: "{% comment %} {% # inline %}",
  rawTag: "{% raw %}",
  whitespace: "",
  increment: "{% increment k %} {% increment k %} {% decrement j %}",
  cycle: "{% cycle 'odd', 'even' %}",
  include: "{% include 'row.liquid' %}",
  render: "{% render 'row.liquid', row: row %}",
  layoutSuper: "{% include 'row.liquid' %}",
  layoutDynamic: "{% layout f %}",
  layoutNone: "{% layout none %}",
  echo: "{% liquid\nfor w in words\necho w | upcase\nendfor %}",
  tablerow: "{% tablerow w in words cols: 2 %}",
}

describe("compiled templates render exactly what LiquidJS renders", () => {
  for (const [name, source] of Object.entries(corpus)) {
    it(name, () => {
      const l = liquid()
      const globals = { site: "<Acme>", n: "global n is shadowed" }
      const parsed = l.parse(source)
      const expected = l.renderSync(parsed, { ...data }, { globals })
      const left: Template[] = []
      const compiled = compileTemplates(l.parse(source), left)
      expect(left.map((t) => t.token.getText()).join(" ")).toBe(interpreted[name] ?? "")
      const actual = renderCompiled(compiled, l, { ...data }, globals)
      expect(actual).toBe(expected)
      // The same closures render again with other data.
      const other = { ...data, n: 1, rows: [], words: ["z"], flag: true }
      expect(renderCompiled(compiled, l, { ...other }, globals)).toBe(
        l.renderSync(parsed, { ...other }, { globals }),
      )
    })
  }

  it("renders the fortunes page byte for byte", () => {
    const l = liquid()
    const source =
      "<table>{% for f in fortunes %}<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}</table>"
    const fortunes = [
      {
        id: 11,
        message: `<script>alert("This should not be displayed in a browser alert box.");</script>`,
      },
      { id: 12, message: "フレームワークのベンチマーク" },
    ]
    expect(renderCompiled(compileTemplates(l.parse(source)), l, { fortunes }, {})).toBe(
      "<table><tr><td>11</td><td>&lt;script&gt;alert(&#34;This should not be displayed in a browser alert box.&#34;);&lt;/script&gt;</td></tr><tr><td>12</td><td>フレームワークのベンチマーク</td></tr></table>",
    )
  })
})

describe("compiled templates throw what LiquidJS throws", () => {
  const failing: Record<string, string> = {
    filter: "a\n{{ n | boom }}",
    inLoop: "{% for r in rows %}\n{{ r.name | boom }}{% endfor %}",
    inCondition: "{% if n | boom %}x{% endif %}",
    inAssign: "{% assign x = n | boom %}",
    throwingGetter: "{{ bad.value }}",
  }
  const bad = {
    get value(): string {
      throw new Error("getter failed")
    },
  }
  for (const [name, source] of Object.entries(failing)) {
    it(name, () => {
      const l = liquid()
      const scope = { ...data, bad }
      const interpreted = catchError(() => l.renderSync(l.parse(source), { ...scope }))
      const compiled = catchError(() =>
        renderCompiled(compileTemplates(l.parse(source)), l, { ...scope }, {}),
      )
      expect(compiled.name).toBe(interpreted.name)
      expect(compiled.message).toBe(interpreted.message)
      expect(compiled.message).toMatch(/boom on|getter failed/)
    })
  }
})

function catchError(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error("expected a throw")
}
