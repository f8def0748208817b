/**
 * The output buffer of compiled renders (`compile.ts`): LiquidJS's `SimpleEmitter`,
 * whose `write` the nodes LiquidJS still renders itself call.
 * @module
 * @internal
 */
import { toValue } from "liquidjs"

/** Appends rendered text; `write` stringifies as LiquidJS does. */
export class Out {
  buffer = ""
  write(html: unknown): void {
    this.buffer += stringify(html)
  }
}

/** LiquidJS's `stringify`, which it does not export. */
function stringify(value: unknown): string {
  const v = toValue(value)
  if (typeof v === "string") return v
  if (v == null) return ""
  if (Array.isArray(v)) return v.map(stringify).join("")
  return String(v)
}
