import type { Database } from "../orm/index.js"
import type { JobBackend } from "./backend.js"
import { DatabaseBackend, type DatabaseBackendOptions } from "./backends/database/index.js"
import { setSink } from "./define.js"
import { jobsErrors } from "./errors.js"
import { state } from "./state.js"

/**
 * Makes `enqueue()` (and workers started without a backend) use this database, or
 * this backend. The tables come from the app's migrations: add `jobsModels` to the
 * models of `truss.config.ts`.
 *
 * @example
 * ```ts
 * import { connect, createTables } from "truss/orm"
 * import { jobsModels, useJobs } from "truss/jobs"
 * const db = await connect("sqlite::memory:")
 * await createTables(db, jobsModels) // in an app: truss makemigrations && truss migrate
 * const backend = useJobs(db)
 * ```
 */
export function useJobs<B extends JobBackend>(target: B): B
export function useJobs(target: Database, options?: DatabaseBackendOptions): DatabaseBackend
export function useJobs(
  target: Database | JobBackend,
  options?: DatabaseBackendOptions,
): JobBackend {
  const backend =
    "claim" in target ? target : new DatabaseBackend(target as Database, options ?? {})
  state.current = backend
  setSink(backend)
  return backend
}

/** @internal The backend `useJobs()` installed. */
export function currentBackend(what: string): JobBackend {
  if (state.current === undefined) throw jobsErrors.NOT_CONFIGURED({ job: what })
  return state.current
}
