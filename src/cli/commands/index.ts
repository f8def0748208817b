/**
 * The CLI's own commands: `routes`, `check`, `shell` (and, as they land, `dev`, `start`,
 * `dumpdata`, `loaddata`). Loaded by the `truss` CLI only when one of them runs.
 * @module
 */
import type { CliCommand } from "../program.js"
import * as check from "./check.js"
import * as routes from "./routes.js"
import * as shell from "./shell.js"

/** The commands, in help order. */
export const commands: readonly CliCommand[] = [routes, check, shell]
