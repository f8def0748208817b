/**
 * The ORM's CLI commands: `makemigrations`, `migrate`, `showmigrations`, `sqlmigrate`.
 * Loaded by the `truss` CLI only when one of them runs.
 * @module
 */
import type { CliCommand } from "../../cli/index.js"
import * as makemigrations from "./makemigrations.js"
import * as migrate from "./migrate.js"
import * as showmigrations from "./showmigrations.js"
import * as sqlmigrate from "./sqlmigrate.js"

/** The commands, in help order. */
export const commands: readonly CliCommand[] = [makemigrations, migrate, showmigrations, sqlmigrate]
