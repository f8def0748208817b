/**
 * What a battery needs to contribute `truss` CLI commands: the command contract and
 * the project loader. A battery exports `commands` from `src/<battery>/commands.ts` (or
 * `commands/index.ts`) and lists it in `batteries.ts`; the CLI imports it only when one
 * of its commands runs (or for the full help).
 * @internal
 * @module
 */

export { type CliContext, openProject, type Project, withProject } from "./context.js"
export type { CliCommand } from "./program.js"
export { type Progress, progressEnabled, startProgress } from "./progress/index.js"
