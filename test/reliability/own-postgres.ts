/**
 * An own PostgreSQL server (initdb into a temporary folder, pg_ctl on a free port) that a
 * test may restart for real (`pg_ctl restart -m fast`); the shared 127.0.0.1:5432 server is
 * never restarted. PostgreSQL refuses to run as root, so as root the server runs as the
 * `postgres` user (`su postgres -c`), in a folder it owns.
 * @module
 */
import { execFile } from "node:child_process"
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { freePort } from "../cache/redis-server.js"

const run = promisify(execFile)

/** The bin folder of the newest installed PostgreSQL, or undefined. */
function binDir(): string | undefined {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
  return versions.map((v) => join(root, v, "bin")).find((d) => existsSync(join(d, "pg_ctl")))
}

export class OwnPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), "truss-rel-pg-"))
  private constructor(
    readonly bin: string,
    readonly port: number,
  ) {}

  /** Why a private server cannot start here, or undefined when it can. */
  static unavailable(): string | undefined {
    if (binDir() === undefined) return "no /usr/lib/postgresql/*/bin/pg_ctl"
    return undefined
  }

  static async start(): Promise<OwnPostgres> {
    const pg = new OwnPostgres(binDir()!, await freePort())
    if (userInfo().uid === 0) {
      const { stdout } = await run("id", ["-u", "postgres"])
      const { stdout: gid } = await run("id", ["-g", "postgres"])
      chownSync(pg.dir, Number(stdout), Number(gid))
    }
    await pg.#sh(`${pg.bin}/initdb -D ${pg.dir}/data -A trust -U postgres --no-sync`)
    await pg.#ctl("start")
    await pg.#sh(`${pg.bin}/createdb -h 127.0.0.1 -p ${pg.port} -U postgres test`)
    return pg
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/test`
  }

  /** `pg_ctl restart -m fast`: sessions are terminated (57P01), then it starts again. */
  restart(): Promise<void> {
    return this.#ctl("restart -m fast")
  }

  async destroy(): Promise<void> {
    await this.#ctl("stop -m immediate").catch(() => {})
    rmSync(this.dir, { recursive: true, force: true })
  }

  #ctl(action: string): Promise<void> {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`
    return this.#sh(
      `${this.bin}/pg_ctl -D ${this.dir}/data -l ${this.dir}/log -w -o "${opts}" ${action}`,
    )
  }

  async #sh(command: string): Promise<void> {
    if (userInfo().uid === 0) await run("su", ["postgres", "-c", command])
    else await run("sh", ["-c", command])
  }
}
