import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "playwright-core"

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

/** One axe-core violation, trimmed to what a failing test should print. */
export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * Runs axe-core in the page (evaluated through the DevTools protocol, so the admin's
 * CSP, which refuses injected scripts, stays on) and returns the serious and critical
 * violations.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  const result = await page.evaluate(async (source) => {
    // biome-ignore lint/security/noGlobalEval: axe-core is injected as source text into the test page
    ;(0, eval)(source)
    const axe = (
      globalThis as unknown as {
        axe: {
          run(o?: unknown): Promise<{
            violations: {
              id: string
              impact: string | null
              help: string
              nodes: { target: string[] }[]
            }[]
          }>
        }
      }
    ).axe
    const r = await axe.run({ resultTypes: ["violations"] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(" ")),
    }))
  }, AXE)
  return result.filter((v) => v.impact === "serious" || v.impact === "critical")
}
