/**
 * The CLI's own commands: `dev`, `start`, `routes`, `check`, `shell`, `dumpdata`,
 * `loaddata`, `backup`, `restore`,
 * `deploy`. Loaded by the `truss` CLI only when one of them runs.
 * @module
 */
import type { CliCommand } from "../program.js"
import * as backup from "./backup.js"
import * as check from "./check.js"
import * as deploy from "./deploy.js"
import * as dev from "./dev.js"
import * as dumpdata from "./dumpdata.js"
import * as loaddata from "./loaddata.js"
import * as routes from "./routes.js"
import * as shell from "./shell.js"
import * as start from "./start.js"

/** The commands, in help order. */
export const commands: readonly CliCommand[] = [
  dev,
  start,
  routes,
  check,
  shell,
  dumpdata,
  loaddata,
  backup,
  deploy,
]
