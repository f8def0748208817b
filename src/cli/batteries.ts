/**
 * Which battery provides which `truss` commands. The CLI loads a battery's commands
 * only when one of its names is run (every battery for `truss --help`), so a command
 * pays for no battery it does not use.
 * @module
 */
import type { CliCommand } from "./program.js"

/** One battery's commands: their top-level names and a lazy loader. */
export interface BatteryCommands {
  readonly names: readonly string[]
  load(): Promise<{ readonly commands: readonly CliCommand[] }>
}

/** Every battery that adds commands, in help order. */
export const BATTERY_COMMANDS: readonly BatteryCommands[] = [
  {
    names: ["makemigrations", "migrate", "showmigrations", "sqlmigrate"],
    load: () => import("../orm/commands/index.js"),
  },
  { names: ["client"], load: () => import("../client/commands.js") },
  { names: ["worker", "jobs"], load: () => import("../jobs/commands.js") },
  { names: ["createsuperuser", "changepassword"], load: () => import("../auth/commands.js") },
  { names: ["cache"], load: () => import("../cache/commands.js") },
  {
    names: [
      "dev",
      "start",
      "routes",
      "check",
      "shell",
      "dumpdata",
      "loaddata",
      "backup",
      "restore",
      "deploy",
    ],
    load: () => import("./commands/index.js"),
  },
]
