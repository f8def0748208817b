import { relative } from "node:path"
import { LiquidError, RenderError, UndefinedVariableError } from "liquidjs"
import { TrussError } from "../kit.js"
import { templateErrors } from "./errors.js"

const LOOKUP = /Failed to lookup "([^"]*)" in "([^"]*)"/
const POSITION = /, (?:file:[^,]*, )?line:\d+, col:\d+$/

interface TokenLike {
  file?: unknown
  getPosition?: () => [number, number]
  [key: string]: unknown
}

/** The first `file` found on a token or the tokens it holds. */
function fileOf(token: unknown, depth = 0): string | undefined {
  if (token === null || typeof token !== "object" || depth > 4) return undefined
  const t = token as TokenLike
  if (typeof t.file === "string") return t.file
  for (const key of ["props", "variable", "initial", "args", "filters", "value"]) {
    const inner = t[key]
    const items = Array.isArray(inner) ? inner : [inner]
    for (const item of items) {
      const found = fileOf(item, depth + 1)
      if (found) return found
    }
  }
  return undefined
}

/** "notes/list.html line 3, col 7", relative to the first template folder. */
function where(err: LiquidError, name: string, root: string): string {
  const file = fileOf(err.token)
  const shown = file ? relative(root, file) : name
  const pos = err.token?.getPosition?.()
  return pos ? `${shown} line ${pos[0]}, col ${pos[1]}` : shown
}

/**
 * Turns a LiquidJS error (or a lookup failure) into a coded Truss error whose
 * message names the template file and line. Keeps the original as `cause`.
 */
export function wrapTemplateError(err: unknown, name: string, root: string): unknown {
  if (err instanceof TrussError) return err
  const message = err instanceof Error ? err.message : String(err)
  const lookup = LOOKUP.exec(message)
  if (lookup) {
    const from = err instanceof LiquidError ? ` (included from ${where(err, name, root)})` : ""
    return templateErrors.TEMPLATE_NOT_FOUND(
      { name: lookup[1]!, dirs: lookup[2]!, from },
      { cause: err },
    )
  }
  if (!(err instanceof LiquidError)) return err
  const at = where(err, name, root)
  const original = err.originalError
  if (err instanceof UndefinedVariableError) {
    const variable = (original as { variableName?: string } | undefined)?.variableName
    return templateErrors.TEMPLATE_UNDEFINED(
      { where: at, variable: variable ?? "?" },
      { cause: err },
    )
  }
  if (err instanceof RenderError) {
    const reason = original?.message ?? message.replace(POSITION, "")
    return templateErrors.TEMPLATE_RENDER({ where: at, reason }, { cause: original ?? err })
  }
  const reason = (original?.message ?? message).replace(POSITION, "")
  return templateErrors.TEMPLATE_SYNTAX({ where: at, reason }, { cause: err })
}
