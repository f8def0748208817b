/**
 * What the load sends in each scenario and what every server must answer, checked
 * before anything is timed.
 * @module
 */
import { expectedRouteBody, GITHUB_ROUTES, ROUTE_HITS } from "./github-routes.js"
import type { LoadRequest } from "./load.js"
import { MESSAGE, PLAINTEXT, type Scenario, SECURITY_HEADERS } from "./servers/common.js"

/** One request and the exact response it must get. */
export interface Probe extends LoadRequest {
  status: number
  body: string
  /** Lower-cased content-type prefix. */
  type: string
  headers?: Readonly<Record<string, string>>
  /** Headers that must be present with any value. */
  present?: readonly string[]
}

const JSON_BODY = JSON.stringify({ message: MESSAGE })

/** The probes of a scenario; the load rotates through their requests. */
export function probes(scenario: Scenario): Probe[] {
  switch (scenario) {
    case "json":
      return [
        { method: "GET", path: "/json", status: 200, body: JSON_BODY, type: "application/json" },
      ]
    case "plaintext":
      return [
        { method: "GET", path: "/plaintext", status: 200, body: PLAINTEXT, type: "text/plain" },
      ]
    case "middleware":
      return [
        {
          method: "GET",
          path: "/json",
          status: 200,
          body: JSON_BODY,
          type: "application/json",
          headers: SECURITY_HEADERS,
          present: ["x-request-id"],
        },
      ]
    case "routes": {
      const known = new Set(GITHUB_ROUTES.map(([m, p]) => `${m} ${p}`))
      return ROUTE_HITS.map((hit) => {
        if (!known.has(`${hit.method} ${hit.route}`)) {
          throw new Error(`route hit ${hit.method} ${hit.route} is not in GITHUB_ROUTES`)
        }
        return { ...hit, status: 200, body: expectedRouteBody(hit), type: "text/plain" }
      })
    }
  }
}

/** Sends each probe once; returns what differs from the expectation (empty when all match). */
export async function verify(port: number, list: readonly Probe[]): Promise<string[]> {
  const problems: string[] = []
  for (const p of list) {
    const res = await fetch(`http://127.0.0.1:${port}${p.path}`, { method: p.method })
    const body = await res.text()
    const where = `${p.method} ${p.path}`
    if (res.status !== p.status) problems.push(`${where}: status ${res.status}, want ${p.status}`)
    if (body !== p.body)
      problems.push(`${where}: body ${JSON.stringify(body)}, want ${JSON.stringify(p.body)}`)
    const type = res.headers.get("content-type")?.toLowerCase() ?? ""
    if (!type.startsWith(p.type)) problems.push(`${where}: content-type "${type}", want ${p.type}`)
    for (const [name, value] of Object.entries(p.headers ?? {})) {
      const got = res.headers.get(name)
      if (got !== value)
        problems.push(`${where}: ${name} ${JSON.stringify(got)}, want ${JSON.stringify(value)}`)
    }
    for (const name of p.present ?? []) {
      if (!res.headers.has(name)) problems.push(`${where}: missing ${name}`)
    }
  }
  return problems
}
