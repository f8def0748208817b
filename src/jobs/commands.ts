/**
 * The jobs battery's CLI commands: `truss worker` and `truss jobs list|retry|purge|stats`.
 * Loaded by the `truss` CLI only when one of them runs.
 * @module
 */
import type { CliCommand } from "../cli/index.js"
import * as jobs from "./cli/jobs.js"
import * as worker from "./cli/worker.js"

/** The commands, in help order. */
export const commands: readonly CliCommand[] = [worker, jobs]
