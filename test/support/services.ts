import { connect } from "node:net"

/** The services the test suite talks to, on their standard local ports. */
export const SERVICES = {
  postgres: { name: "PostgreSQL", port: 5432, url: "postgres://postgres@127.0.0.1:5432/test" },
  mariadb: { name: "MariaDB", port: 3306, url: "mysql://root@127.0.0.1:3306/test" },
  redis: { name: "Redis", port: 6379, url: "redis://127.0.0.1:6379" },
} as const

export type ServiceName = keyof typeof SERVICES

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, timeout: 1000 })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once("connect", () => done(true))
    socket.once("error", () => done(false))
    socket.once("timeout", () => done(false))
  })
}

/**
 * Resolves true when the service is up. When it is down the suite is skipped with
 * a line that says so, unless TRUSS_REQUIRE_SERVICES=1, where a missing service fails.
 * Use with `describe.skipIf(!(await hasService("postgres")))`.
 */
export async function hasService(name: ServiceName): Promise<boolean> {
  const service = SERVICES[name]
  if (await reachable(service.port)) return true
  const line = `${service.name} is not reachable at 127.0.0.1:${service.port}`
  if (process.env.TRUSS_REQUIRE_SERVICES === "1") {
    throw new Error(`${line}, and TRUSS_REQUIRE_SERVICES=1 requires it. Start it and re-run.`)
  }
  console.warn(`skipped: ${line}; tests that need it are skipped.`)
  return false
}
