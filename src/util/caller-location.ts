import { fileURLToPath } from "node:url"

// The src/ folder: frames from Truss itself are skipped.
const HERE = fileURLToPath(new URL("../", import.meta.url))

/** `file:line:column` of the user code that called into Truss, for startup errors. */
export function callerLocation(): string {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 40
  const stack = new Error().stack ?? ""
  Error.stackTraceLimit = limit
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?$/.exec(line.trim())
    if (!m) continue
    const file = m[1]!.replace(/^file:\/\//, "")
    const ours = file.startsWith(HERE) && !/\.test\.[cm]?[jt]s$/.test(file)
    if (!ours && !file.includes("/node_modules/")) return `${file}:${m[2]}:${m[3]}`
  }
  return "<unknown>"
}
