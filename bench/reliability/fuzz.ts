/**
 * `npm run bench -- reliability --fuzz N`: N raw HTTP requests from the fast-check
 * generator of test/reliability/http-fuzz.ts against the fuzz app in this process, a
 * normal request after each. Prints the statuses, the codes behind the 4xx answers, the
 * 5xx answers, hangs, server error-log lines, and failed follow-up requests.
 * @module
 */
import fc from "fast-check"
import { fuzzApp } from "../../test/reliability/fixtures/fuzz-app.js"
import { rawRequest, sendRaw } from "../../test/reliability/http-fuzz.js"

/** What one fuzz run found. */
export interface FuzzReport {
  runs: number
  statuses: Record<string, number>
  codes: Record<string, number>
  /** Error-level lines of the app's log, by message and error code. */
  serverErrors: Record<string, number>
  hangs: number
  followUpsFailed: number
  seconds: number
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1
}

/** Runs `runs` requests (seeded with `seed` when given) and returns the counts. */
export async function fuzz(runs: number, seed?: number): Promise<FuzzReport> {
  const errorLines: string[] = []
  const server = await fuzzApp({ write: (l) => void errorLines.push(l) }).listen({
    port: 0,
    signals: false,
  })
  const report: FuzzReport = {
    runs,
    statuses: {},
    codes: {},
    serverErrors: {},
    hangs: 0,
    followUpsFailed: 0,
    seconds: 0,
  }
  const started = performance.now()
  const samples = fc.sample(rawRequest, seed === undefined ? runs : { numRuns: runs, seed })
  for (const { bytes } of samples) {
    const res = await sendRaw(server.port, bytes)
    bump(report.statuses, String(res.status ?? "closed without a status"))
    const code = /"code":"([A-Z_]+)"/.exec(res.head)?.[1]
    if (res.status !== undefined && res.status >= 400)
      bump(report.codes, `${res.status} ${code ?? "(no code: node's parser, or a HEAD)"}`)
    if (!res.closed) report.hangs++
    const next = await fetch(`${server.url}/items/1`).catch(() => undefined)
    if (next?.status !== 200) report.followUpsFailed++
    await next?.arrayBuffer()
  }
  report.seconds = Math.round((performance.now() - started) / 10) / 100
  for (const line of errorLines) {
    const l = JSON.parse(line) as { msg?: string; method?: string; err?: { code?: string } }
    bump(report.serverErrors, `${l.msg} (${l.err?.code ?? "no code"})`)
  }
  await server.close()
  return report
}
