import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import {
  AssignTag,
  BlockTag,
  Context,
  ForTag,
  IfTag,
  LayoutTag,
  Liquid,
  Output,
  type Template,
  TypeGuards,
  UnlessTag,
} from "liquidjs"
import { describe, expect, it } from "vitest"

// compile.ts and compile-layout.ts reach into LiquidJS internals; these tests fail when an
// upgrade changes any of them, so `liquidjs` stays pinned exactly until they are rechecked.

const require = createRequire(import.meta.url)
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  dependencies: Record<string, string>
}
type Bag = Record<string, unknown>
const bag = (v: unknown) => v as Bag

function parse(source: string): Template[] {
  return new Liquid({ strictVariables: false }).parse(source)
}

describe("the LiquidJS internals the template compiler uses", () => {
  it("come from exactly the pinned version", () => {
    const installed = (require("liquidjs/package.json") as { version: string }).version
    expect(pkg.dependencies.liquidjs).toBe("10.30.1")
    expect(installed).toBe(pkg.dependencies.liquidjs)
  })

  it("HTML nodes keep their text in `str`", () => {
    const [html] = parse("hello")
    expect(TypeGuards.isHTMLToken(html!.token)).toBe(true)
    expect(bag(html).str).toBe("hello")
  })

  it("an output's value has `initial.postfix` tokens and filters with handler, liquid, token, args", () => {
    const [out] = parse("{{ user.name | append: '!' }}")
    expect(out).toBeInstanceOf(Output)
    const value = bag(bag(out).value)
    const postfix = bag(value.initial).postfix as Bag[]
    expect(postfix).toHaveLength(1)
    expect(TypeGuards.isPropertyAccessToken(postfix[0] as never)).toBe(true)
    expect(postfix[0]!.props).toHaveLength(2)
    expect(bag((postfix[0]!.props as Bag[])[0]).content).toBe("user")
    expect("variable" in postfix[0]!).toBe(true)
    const [filter] = value.filters as Bag[]
    expect(typeof filter!.handler).toBe("function")
    expect(filter!.liquid).toBeInstanceOf(Liquid)
    expect(typeof filter!.token).toBe("object")
    expect(Array.isArray(filter!.args)).toBe(true)
  })

  it("for, if/unless and assign nodes have the fields the compiler reads", () => {
    const [loop, cond, unless, assign] = parse(
      "{% for x in xs %}a{% else %}b{% endfor %}{% if a %}1{% else %}2{% endif %}{% unless a %}3{% endunless %}{% assign y = 1 %}",
    )
    expect(loop).toBeInstanceOf(ForTag)
    const f = loop as ForTag
    expect(f.variable).toBe("x")
    expect(f.collection.getText()).toBe("xs")
    expect(bag(f.hash).hash).toEqual({})
    expect(f.templates).toHaveLength(1)
    expect(f.elseTemplates).toHaveLength(1)
    for (const node of [cond, unless]) {
      expect(node instanceof IfTag || node instanceof UnlessTag).toBe(true)
      const b = (node as IfTag).branches[0]!
      expect(Object.keys(b).sort()).toEqual(expect.arrayContaining(["templates", "value"]))
    }
    expect(typeof bag((unless as UnlessTag).branches[0]).test).toBe("function")
    expect((cond as IfTag).elseTemplates).toHaveLength(1)
    expect(assign).toBeInstanceOf(AssignTag)
    expect(bag(assign).key).toBe("y")
    expect(typeof bag(bag(assign).value).value).toBe("function")
  })

  it("layout and block nodes expose file, args.hash, templates, liquid, block and _parseLayoutFile", () => {
    const liquid = new Liquid({
      strictVariables: false,
      templates: { "base.liquid": "{% block main %}{% endblock %}" },
    })
    const [layout] = liquid.parse('{% layout "base.liquid" %}{% block main %}x{% endblock %}')
    expect(layout).toBeInstanceOf(LayoutTag)
    const l = bag(layout)
    expect(l.file).toBe("base.liquid")
    expect(bag(l.args).hash).toEqual({})
    expect("currentFile" in l).toBe(true)
    expect(l.liquid).toBe(liquid)
    const [block] = l.templates as Template[]
    expect(block).toBeInstanceOf(BlockTag)
    expect(bag(block).block).toBe("main")
    expect(Array.isArray(bag(block).templates)).toBe(true)
    expect(typeof bag(liquid)._parseLayoutFile).toBe("function")
  })

  it("a render context has the registers, scopes and flags the compiler uses", () => {
    const liquid = new Liquid()
    const ctx = new Context({ a: 1 }, liquid.options, { sync: true, globals: {} }, { liquid })
    const c = bag(ctx)
    for (const name of [
      "bottom",
      "push",
      "pop",
      "getRegister",
      "setRegister",
      "findScope",
      "readProperty",
    ]) {
      expect(typeof c[name]).toBe("function")
    }
    expect(c.breakCalled).toBe(false)
    expect(c.continueCalled).toBe(false)
    expect(typeof bag(bag(c.opts).operators)["=="]).toBe("function")
    expect(ctx.bottom()).toEqual({})
  })
})
