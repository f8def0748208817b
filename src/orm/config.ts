/**
 * `defineConfig()`: the project settings the `truss` CLI reads from `truss.config.ts`.
 * @module
 */
import { ormErrors } from "./errors.js"
import type { AnyModel } from "./model.js"

/**
 * The ORM settings of a Truss project.
 * @example
 * ```ts
 * import type { TrussConfig } from "truss/orm"
 * const config: TrussConfig = { database: "sqlite:./app.db", models: [] }
 * ```
 */
export interface TrussConfig {
  /** Database URL, e.g. `sqlite:./app.db` or `process.env.DATABASE_URL`. */
  database: string
  /** Every model the app uses (many-to-many tables are found automatically). */
  models: readonly AnyModel[]
  /** Folder of migration files, relative to the config file. @default "./migrations" */
  migrations?: string
}

/**
 * Validates and returns the project config. Use it as the default export of
 * `truss.config.ts`.
 *
 * @throws TRUSS_ERR_ORM_INVALID_MODEL when `models` holds something that is not a model.
 * @example
 * ```ts
 * import { defineConfig, field, model } from "truss/orm"
 * const Note = model("note", { body: field.text() })
 * export default defineConfig({ database: "sqlite:./app.db", models: [Note] })
 * ```
 */
export function defineConfig(config: TrussConfig): Readonly<Required<TrussConfig>> {
  if (typeof config.database !== "string" || config.database === "") {
    throw ormErrors.INVALID_URL({ url: String(config.database) })
  }
  for (const m of config.models) {
    if (!m || typeof m !== "object" || !("meta" in m) || typeof m.name !== "string") {
      throw ormErrors.INVALID_MODEL({
        model: String(m),
        reason: "config.models must list models made with model()",
      })
    }
  }
  return Object.freeze({ migrations: "./migrations", ...config })
}
