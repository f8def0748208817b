/**
 * The `sql` tag for raw SQL, re-exported from Kysely.
 * @module
 */
import { sql as kyselySql } from "kysely"

/**
 * Builds raw SQL safely: `${value}` becomes a bound parameter, `sql.ref("col")` and
 * `sql.table("t")` quote identifiers. Run it with `db.execute(…)`.
 *
 * @example
 * ```ts
 * import { connect, sql } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const [row] = await db.execute<{ n: number }>(sql`SELECT ${41} + 1 AS ${sql.ref("n")}`)
 * ```
 */
export const sql: typeof kyselySql = kyselySql
