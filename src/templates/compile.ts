/**
 * Compiles parsed LiquidJS templates into closures for synchronous renders.
 *
 * Why: LiquidJS interprets every node through generators (`toValueSync` drives one per
 * output, filter and property lookup), about 95 µs for the 13-row TechEmpower fortunes
 * page against 3 µs for the same page written by hand in JavaScript. The nodes most
 * pages are made of (text, `{{ output | filters }}`, `for`, `if`/`unless`, `assign`,
 * `layout` and `block`) become plain function calls here; every other node (includes,
 * `case`, `capture`, custom tags …) is rendered by LiquidJS itself, in the same context and output, so a
 * template never has to be all-or-nothing. Each compiled step does what LiquidJS's
 * node does, calling LiquidJS's own pieces (`Context.findScope`/`readProperty`, the
 * registered filter functions, the operators, `isTruthy`) and throwing the same error
 * classes; `compile.test.ts` renders a corpus both ways and compares.
 *
 * Only for `strictVariables: false`: strict lookups keep LiquidJS's interpreter.
 * @module
 * @internal
 */
import {
  AssignTag,
  BlockTag,
  Context,
  Drop,
  type Filter,
  ForTag,
  IfTag,
  isTruthy,
  LayoutTag,
  type Liquid,
  LiquidError,
  Output,
  RenderError,
  type Template,
  TypeGuards,
  toValue,
  toValueSync,
  UndefinedVariableError,
  UnlessTag,
  type Value,
} from "liquidjs"
import { compileBlock, compileLayout } from "./compile-layout.js"
import { Out } from "./out.js"

/** Renders into `out` with the render's context. */
export type Step = (ctx: Context, out: Out) => void
type Eval = (ctx: Context) => unknown
type Token = Parameters<typeof TypeGuards.isPropertyAccessToken>[0]

/** Renders compiled templates with `data` and `globals`, as `liquid.renderSync` would. */
export function renderCompiled(
  step: Step,
  liquid: Liquid,
  data: object,
  globals: Record<string, unknown>,
): string {
  const ctx = new Context(data, liquid.options, { sync: true, globals }, { liquid })
  const out = new Out()
  step(ctx, out)
  return out.buffer
}

/**
 * Compiles a template list (a file, a loop body, a branch). `left`, when given, collects
 * the nodes left to LiquidJS's interpreter.
 */
export function compileTemplates(templates: readonly Template[], left?: Template[]): Step {
  const steps = templates.map((tpl) => [compileNode(tpl, left), tpl] as const)
  return (ctx, out) => {
    for (const [step, tpl] of steps) {
      try {
        step(ctx, out)
      } catch (err) {
        // As LiquidJS's Render.renderTemplates wraps what a node throws.
        throw LiquidError.is(err) ? err : new RenderError(err as Error, tpl)
      }
      if (ctx.breakCalled || ctx.continueCalled) return
    }
  }
}

function compileNode(tpl: Template, left: Template[] | undefined): Step {
  if (TypeGuards.isHTMLToken(tpl.token)) {
    const text = (tpl as unknown as { str: string }).str
    return (_ctx, out) => {
      out.buffer += text
    }
  }
  const compiled =
    tpl instanceof Output
      ? compileOutput(tpl)
      : tpl instanceof ForTag
        ? compileFor(tpl, left)
        : tpl instanceof IfTag || tpl instanceof UnlessTag
          ? compileBranches(tpl, left)
          : tpl instanceof AssignTag
            ? compileAssign(tpl as unknown as { key: string; value: Value })
            : tpl instanceof LayoutTag
              ? compileLayout(tpl, compileTemplates, left)
              : tpl instanceof BlockTag
                ? compileBlock(tpl, compileTemplates, left)
                : undefined
  if (compiled) return compiled
  left?.push(tpl)
  return interpreted(tpl)
}

/** A node LiquidJS renders itself. */
function interpreted(tpl: Template): Step {
  return (ctx, out) => {
    const html = toValueSync(tpl.render(ctx, out as never))
    if (html) out.write(html)
  }
}

function compileOutput(node: Output): Step | undefined {
  const value = compileValue(node.value)
  if (value === undefined) return undefined
  return (ctx, out) => out.write(toValue(value(ctx)))
}

function compileAssign(node: { key: string; value: Value }): Step | undefined {
  const value = compileValue(node.value)
  if (value === undefined) return undefined
  return (ctx) => {
    ctx.bottom()[node.key] = value(ctx)
  }
}

function compileBranches(node: IfTag | UnlessTag, left?: Template[]): Step | undefined {
  const values = node.branches.map((b) => compileValue(b.value))
  if (values.includes(undefined)) return undefined
  const branches = node.branches.map((b, i) => {
    const test = (b as { test?: (v: unknown, ctx: Context) => boolean }).test ?? isTruthy
    return [values[i]!, test, compileTemplates(b.templates, left)] as const
  })
  const otherwise = compileTemplates(node.elseTemplates ?? [], left)
  return (ctx, out) => {
    for (const [value, test, templates] of branches) {
      if (test(toValue(value(ctx)), ctx)) return templates(ctx, out)
    }
    otherwise(ctx, out)
  }
}

function compileFor(node: ForTag, left?: Template[]): Step | undefined {
  // offset/limit/reversed (and `offset: continue`) stay with LiquidJS.
  if (Object.keys(node.hash.hash).length > 0) return undefined
  const collection = compileToken(node.collection as Token)
  if (collection === undefined) return undefined
  const body = compileTemplates(node.templates, left)
  const otherwise = compileTemplates(node.elseTemplates, left)
  const { variable } = node
  const text = node.collection.getText()
  const continueKey = `continue-${variable}-${text}`
  return (ctx, out) => {
    const items = toEnumerable(collection(ctx))
    if (items.length === 0) return otherwise(ctx, out)
    ctx.setRegister(continueKey, items.length)
    const forloop = new ForloopDrop(items.length, text, variable)
    const scope: Record<string, unknown> = Object.create(null)
    scope.forloop = forloop
    ctx.push(scope)
    for (const item of items) {
      scope[variable] = item
      ctx.continueCalled = ctx.breakCalled = false
      body(ctx, out)
      if (ctx.breakCalled) break
      forloop.next()
    }
    ctx.continueCalled = ctx.breakCalled = false
    ctx.pop()
  }
}

/** The private parts of LiquidJS's `Filter` a compiled call needs. */
interface FilterParts {
  handler: (this: unknown, ...args: unknown[]) => unknown
  liquid: unknown
  token: unknown
  args: (Token | [string, Token])[]
}

/** `value | filter: args …`, as `Value.value()` evaluates it. */
function compileValue(value: Value): Eval | undefined {
  const postfix = (value.initial as unknown as { postfix: Token[] }).postfix
  const initial = compileExpression(postfix)
  if (initial === undefined) return undefined
  const calls: ((v: unknown, ctx: Context) => unknown)[] = []
  for (const filter of value.filters) {
    const call = compileFilter(filter)
    if (call === undefined) return undefined
    calls.push(call)
  }
  if (calls.length === 0) return initial
  return (ctx) => {
    let v = initial(ctx)
    for (const call of calls) v = call(v, ctx)
    return v
  }
}

function compileFilter(filter: Filter): ((v: unknown, ctx: Context) => unknown) | undefined {
  const parts = filter as unknown as FilterParts
  if (typeof parts.handler !== "function") return undefined
  const args: (Eval | [string, Eval])[] = []
  for (const arg of parts.args) {
    const pair = Array.isArray(arg)
    const compiled = compileToken((pair ? arg[1] : arg) as Token)
    if (compiled === undefined) return undefined
    args.push(pair ? [arg[0], compiled] : compiled)
  }
  const { handler, liquid, token } = parts
  return (v, context) => {
    const argv: unknown[] = [v]
    for (const arg of args) argv.push(Array.isArray(arg) ? [arg[0], arg[1](context)] : arg(context))
    return settle(handler.apply({ context, token, liquid }, argv))
  }
}

/** An expression in postfix order, as `Expression.evaluate()` runs it. */
function compileExpression(postfix: readonly Token[]): Eval | undefined {
  if (postfix.length === 1) return compileToken(postfix[0]!)
  const program: (Eval | { operator: string; unary: boolean })[] = []
  for (const token of postfix) {
    if (TypeGuards.isOperatorToken(token)) {
      program.push({ operator: token.operator, unary: token.operator === "not" })
    } else {
      const compiled = compileToken(token)
      if (compiled === undefined) return undefined
      program.push(compiled)
    }
  }
  return (ctx) => {
    const operands: unknown[] = []
    const operators = ctx.opts.operators as unknown as Record<string, (...a: unknown[]) => unknown>
    for (const item of program) {
      if (typeof item === "function") {
        operands.push(item(ctx))
        continue
      }
      const r = operands.pop()
      const op = operators[item.operator]!
      operands.push(settle(item.unary ? op(r, ctx) : op(operands.pop(), r, ctx)))
    }
    return operands[0]
  }
}

/** The lookups of LiquidJS's `Context` (`findScope` is private in its types). */
interface Lookup {
  findScope(key: string): unknown
  readProperty(scope: unknown, key: string): unknown
}

/** `evalToken()` for literals and property paths; undefined for what stays interpreted. */
function compileToken(token: Token): Eval | undefined {
  if ("content" in token) {
    const content = (token as { content: unknown }).content
    return () => content
  }
  if (!TypeGuards.isPropertyAccessToken(token)) return undefined
  const props: Eval[] = []
  for (const prop of token.props) {
    const compiled = compileToken(prop as Token)
    if (compiled === undefined) return undefined
    props.push("content" in prop ? compiled : (ctx) => toValue(compiled(ctx)))
  }
  const variable = token.variable ? compileToken(token.variable as Token) : undefined
  if (token.variable && variable === undefined) return undefined
  // The common case, `a.b.c`: every key is known now.
  const fixed = token.props.every((p) => "content" in p)
    ? token.props.map((p) => (p as { content: string }).content)
    : undefined
  return (ctx) => {
    const keys = fixed ?? props.map((p) => p(ctx) as string)
    const c = ctx as unknown as Lookup
    try {
      let scope: unknown = variable ? variable(ctx) : c.findScope(keys[0]!)
      for (const key of keys) scope = settle(c.readProperty(scope, key))
      return scope
    } catch (err) {
      // As evalPropertyAccessToken wraps what a lookup throws.
      throw new UndefinedVariableError(err as Error, token)
    }
  }
}

/** Drives a generator a filter, operator or drop returned, as `toValueSync` would. */
function settle(value: unknown): unknown {
  const it = value as { next?: unknown; throw?: unknown } | null | undefined
  return typeof it?.next === "function" && typeof it.throw === "function"
    ? toValueSync(value as Generator)
    : value
}

// LiquidJS's own helpers, which it does not export.

function toEnumerable(value: unknown): unknown[] {
  const v = toValue(value)
  if (Array.isArray(v)) return v
  if (typeof v === "string") return v.length > 0 ? [v] : []
  if (v !== null && (typeof v === "object" || typeof v === "function")) {
    if (Symbol.iterator in v) return Array.from(v as Iterable<unknown>)
    return Object.keys(v).map((key) => [key, (v as Record<string, unknown>)[key]])
  }
  return []
}

/** `forloop`: LiquidJS's ForloopDrop, which it does not export. */
class ForloopDrop extends Drop {
  i = 0
  readonly length: number
  readonly name: string
  constructor(length: number, collection: string, variable: string) {
    super()
    this.length = length
    this.name = `${variable}-${collection}`
  }
  next(): void {
    this.i++
  }
  index0(): number {
    return this.i
  }
  index(): number {
    return this.i + 1
  }
  first(): boolean {
    return this.i === 0
  }
  last(): boolean {
    return this.i === this.length - 1
  }
  rindex(): number {
    return this.length - this.i
  }
  rindex0(): number {
    return this.length - this.i - 1
  }
  override valueOf(): string {
    return JSON.stringify(this)
  }
}
