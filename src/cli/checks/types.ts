/**
 * The contract of `truss check`: a check looks at the app, the project config and the
 * environment and returns messages with stable ids and hints, like Django's system checks.
 * @module
 */
import type { App } from "../../kit.js"
import type { Project } from "../context.js"
import type { Probe } from "./probe.js"

/** How serious a finding is; errors make `truss check` exit 1. */
export type CheckLevel = "error" | "warning"

/** One finding, e.g. `security.E001`. */
export interface CheckMessage {
  /** Stable id: `<area>.<E|W><nnn>`; `--silence` takes it. */
  readonly id: string
  readonly level: CheckLevel
  /** What is wrong. */
  readonly message: string
  /** How to fix it. */
  readonly hint: string
}

/** What a check may look at; each part is there only when the project has it. */
export interface CheckTarget {
  readonly app: App | undefined
  /** What the app answered to probe requests (undefined without an app). */
  readonly probe: Probe | undefined
  readonly project: Project | undefined
  readonly env: Readonly<Record<string, string | undefined>>
}

/** One system check. */
export interface SystemCheck {
  /** Runs only under `truss check --deploy`. */
  readonly deploy: boolean
  run(target: CheckTarget): CheckMessage[] | Promise<CheckMessage[]>
}
