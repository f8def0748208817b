/**
 * Asks the app itself how it behaves in production: `truss check --deploy` sends
 * in-process requests (no socket) and reads the answers rather than guessing from
 * options, so middleware-based setups are judged the same as built-in ones.
 * @module
 */
import type { App } from "../../kit.js"

/** The answers `truss check` reads. */
export interface Probe {
  /** Whether the app saw `X-Forwarded-Proto: https` from a loopback proxy as HTTPS; undefined when unknown. */
  readonly sawHttps: boolean | undefined
  /** Status and headers of `GET /` sent as HTTPS through a loopback proxy. */
  readonly https: { readonly status: number; readonly headers: Headers }
  /** Status of `GET /` with a Host header no deploy would list. */
  readonly foreignHostStatus: number
}

/** The Host a probe sends to see whether unknown hosts are refused. */
export const FOREIGN_HOST = "truss-check.invalid"

/** Probes the app; it is frozen afterwards, so run it only in a one-off CLI process. */
export async function probeApp(app: App, host: string): Promise<Probe> {
  let sawHttps: boolean | undefined
  if (!app.started) {
    app.onRequest(function trussCheckProbe(c) {
      sawHttps = c.req.secure
    })
  }
  const https = await app.request(`http://${host}/`, {
    headers: { "x-forwarded-proto": "https", "x-forwarded-host": host, host },
  })
  await https.arrayBuffer()
  const foreign = await app.request(`http://${FOREIGN_HOST}/`, {
    headers: { host: FOREIGN_HOST },
  })
  await foreign.arrayBuffer()
  return {
    sawHttps,
    https: { status: https.status, headers: https.headers },
    foreignHostStatus: foreign.status,
  }
}
