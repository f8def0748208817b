/**
 * `{% layout "file" %}` and `{% block %}` for the compiled renderer (`compile.ts`): the
 * same steps as LiquidJS's LayoutTag and BlockTag, in the same registers (`blockMode`,
 * `blocks`, `blockStack`), so compiled and interpreted blocks fill each other in either
 * direction. A layout named by a variable, or given arguments, stays interpreted.
 * @module
 * @internal
 */
import {
  type BlockTag,
  type Context,
  Drop,
  type LayoutTag,
  type Template,
  toValueSync,
} from "liquidjs"
import type { Step } from "./compile.js"
import { Out } from "./out.js"

type Compile = (templates: readonly Template[], left?: Template[]) => Step
type Emitter = Pick<Out, "write" | "buffer">
/** What LiquidJS keeps in the `blocks` register: may return a generator to drive. */
type BlockRender = (superBlock: BlockDrop, emitter: Emitter) => unknown

// LiquidJS's BlockMode: OUTPUT renders blocks in place, STORE records them for a layout.
const OUTPUT = 0
const STORE = 1

/** `{% layout "file" %}`: renders the page's blocks into the layout. */
export function compileLayout(
  node: LayoutTag,
  compile: Compile,
  left?: Template[],
): Step | undefined {
  const file = node.file
  if (typeof file !== "string" || Object.keys(node.args.hash).length > 0) return undefined
  const currentFile = (node as unknown as { currentFile?: string }).currentFile
  const children = compile(node.templates, left)
  const { liquid } = node
  // The parsed layout comes from LiquidJS's cache: compile each version once.
  const layouts = new WeakMap<Template[], Step>()
  return (ctx, out) => {
    const templates = toValueSync(liquid._parseLayoutFile(file, true, currentFile))
    let layout = layouts.get(templates)
    if (layout === undefined) {
      layout = compile(templates)
      layouts.set(templates, layout)
    }
    ctx.setRegister("blockMode", STORE)
    const page = new Out()
    children(ctx, page)
    const html = page.buffer
    const blocks = ctx.getRegister("blocks", {}) as Record<string, BlockRender>
    // The page's text outside any block is the layout's anonymous block.
    if (blocks[""] === undefined) blocks[""] = (_parent, emitter) => emitter.write(html)
    ctx.setRegister("blockMode", OUTPUT)
    ctx.push(Object.create(null))
    layout(ctx, out)
    ctx.pop()
  }
}

/** `{% block name %}`: recorded for the layout, or rendered with the page's override. */
export function compileBlock(node: BlockTag, compile: Compile, left?: Template[]): Step {
  const body = compile(node.templates, left)
  const name = node.block
  const renderCurrent =
    (ctx: Context): BlockRender =>
    (superBlock, emitter) => {
      const stack = ctx.getRegister("blockStack", []) as unknown[]
      if (stack.includes(node)) throw new Error("block tag cannot be nested")
      stack.push(node)
      const scope = Object.create(null) as Record<string, unknown>
      scope.block = superBlock
      ctx.push(scope)
      body(ctx, emitter as Out)
      ctx.pop()
      stack.pop()
    }
  const blockRender = (ctx: Context): BlockRender => {
    const child = (ctx.getRegister("blocks", {}) as Record<string, BlockRender>)[name]
    const current = renderCurrent(ctx)
    if (child === undefined) return current
    return (superBlock, emitter) =>
      drive(child(new BlockDrop((e) => current(superBlock, e)), emitter))
  }
  return (ctx, out) => {
    const render = blockRender(ctx)
    if (ctx.getRegister("blockMode") === STORE) {
      ;(ctx.getRegister("blocks", {}) as Record<string, BlockRender>)[name] = render
    } else drive(render(new BlockDrop(), out))
  }
}

/** `{{ block.super }}`: LiquidJS's BlockDrop, which it does not export. */
class BlockDrop extends Drop {
  readonly #superBlockRender: (emitter: Emitter) => unknown
  constructor(superBlockRender: (emitter: Emitter) => unknown = () => "") {
    super()
    this.#superBlockRender = superBlockRender
  }
  *super(): Generator<unknown, string, unknown> {
    const emitter = new Out()
    yield this.#superBlockRender(emitter)
    return emitter.buffer
  }
}

/** Runs what an interpreted block render returned (a generator) to its end. */
function drive(value: unknown): void {
  const it = value as { next?: unknown; throw?: unknown } | null | undefined
  if (typeof it?.next === "function" && typeof it.throw === "function")
    toValueSync(value as Generator)
}
