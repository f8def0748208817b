/**
 * Opens `mysql://` and `mariadb://` URLs on a `mysql2` pool.
 * @module
 */
import { CompiledQuery, type Kysely, MysqlDialect } from "kysely"
import type { AnyDatabase } from "../../executor.js"
import { loadDriver, type OpenDriver } from "../driver.js"
import { countedPool, type RawPool } from "./counted-pool.js"
import { MYSQL_SERVER_SQL, mysqlDialect, mysqlServer } from "./dialect.js"

interface MysqlModule {
  createPool(config: object): RawPool
}

/** `mysql://` and `mariadb://` URLs on a `mysql2` pool; the server's version decides RETURNING. */
export const openMysql: OpenDriver = async (url, options) => {
  const mysql2 = await loadDriver<MysqlModule>("mysql2")
  const counted = countedPool(
    mysql2.createPool({
      uri: url.replace(/^mariadb:/, "mysql:"),
      connectionLimit: options.poolSize ?? 10,
      timezone: "Z",
      dateStrings: ["DATE"],
      supportBigNumbers: true,
      bigNumberStrings: true,
      jsonStrings: true,
    }),
  )
  return {
    dialect: new MysqlDialect({ pool: counted.pool as never }),
    shared: false,
    poolStats: counted.stats,
    async sqlDialect(kysely) {
      const server = mysqlServer(await serverRow(kysely))
      return mysqlDialect({ ...server, returning: server.returning && options.returning !== false })
    },
  }
}

/** The version and auto-increment settings of a MySQL/MariaDB server. */
async function serverRow(kysely: Kysely<AnyDatabase>): Promise<Record<string, unknown>> {
  const read = (sql: string) =>
    kysely.executeQuery<Record<string, unknown>>(CompiledQuery.raw(sql)).then((r) => r.rows[0])
  // Without InnoDB there is no lock mode to read: ids are then never assumed consecutive.
  return (await read(MYSQL_SERVER_SQL).catch(() => read("SELECT VERSION() AS v"))) ?? {}
}
