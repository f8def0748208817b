/**
 * Runs the system checks and prints them the way Django does: errors, then warnings,
 * each with its id and a HINT line.
 * @module
 */
import pc from "picocolors"
import { PROJECT_CHECKS } from "./project.js"
import { SECURITY_CHECKS } from "./security.js"
import type { CheckMessage, CheckTarget, SystemCheck } from "./types.js"

/** Every built-in check. */
export const CHECKS: readonly SystemCheck[] = [...SECURITY_CHECKS, ...PROJECT_CHECKS]

/** Runs the checks that apply (deploy ones only with `deploy`), minus the silenced ids. */
export async function runChecks(
  target: CheckTarget,
  options: { deploy: boolean; silence?: readonly string[] },
  checks: readonly SystemCheck[] = CHECKS,
): Promise<CheckMessage[]> {
  const silenced = new Set(options.silence ?? [])
  const found: CheckMessage[] = []
  for (const check of checks) {
    if (check.deploy && !options.deploy) continue
    for (const m of await check.run(target)) if (!silenced.has(m.id)) found.push(m)
  }
  return found
}

/** The report's lines (no colour codes in the text the tests compare, only around it). */
export function formatReport(messages: readonly CheckMessage[]): string[] {
  if (messages.length === 0) return ["System check identified no issues."]
  const lines = ["System check identified some issues:"]
  for (const [level, title] of [
    ["error", "ERRORS:"],
    ["warning", "WARNINGS:"],
  ] as const) {
    const of = messages.filter((m) => m.level === level)
    if (of.length === 0) continue
    lines.push("", level === "error" ? pc.red(title) : pc.yellow(title))
    for (const m of of) lines.push(`${pc.bold(m.id)}: ${m.message}`, `\tHINT: ${m.hint}`)
  }
  const n = messages.length
  lines.push("", `System check identified ${n} issue${n === 1 ? "" : "s"}.`)
  return lines
}
