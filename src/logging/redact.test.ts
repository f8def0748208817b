import { describe, expect, it } from "vitest"
import { createLogger } from "./logger.js"

/** A logger (no pretty printing) whose raw output lines land in `out`. */
function rawLogger() {
  const out: string[] = []
  const destination = { write: (chunk: string) => void out.push(chunk) }
  const { log } = createLogger({ destination, pretty: false }, false)
  return { log, out }
}

describe("default log redaction", () => {
  it("censors secrets nested one level deep under any key", () => {
    const { log, out } = rawLogger()
    log.info(
      {
        account: { name: "ada", password: "p1", token: "t1", secret: "s1" },
        upstream: { authorization: "Bearer x", cookie: "sid=1", accept: "json" },
      },
      "nested",
    )
    const line = out
      .join("")
      .trim()
      .replace(/"time":\d+,"pid":\d+,"hostname":"[^"]*",/, "")
    expect(line).toBe(
      '{"level":30,' +
        '"account":{"name":"ada","password":"[redacted]","token":"[redacted]","secret":"[redacted]"},' +
        '"upstream":{"authorization":"[redacted]","cookie":"[redacted]","accept":"json"},' +
        '"msg":"nested"}',
    )
  })

  it("still censors top-level and header secrets", () => {
    const { log, out } = rawLogger()
    log.info({ password: "p", headers: { authorization: "a" } }, "top")
    const parsed = JSON.parse(out.join("")) as Record<string, unknown>
    expect(parsed.password).toBe("[redacted]")
    expect(parsed.headers).toEqual({ authorization: "[redacted]" })
  })
})
