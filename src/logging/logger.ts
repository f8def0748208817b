import { createRequire } from "node:module"
import type { DestinationStream, Logger, LoggerOptions as PinoOptions } from "pino"
import { lazyRequire } from "../util/lazy.js"
import { LogFile } from "./log-file.js"

/**
 * Logger settings for `new App({ logger })`.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App({ logger: { level: "debug", destination: "/tmp/app.log", redact: ["*.apiKey"] } })
 * ```
 */
export interface LoggerOptions {
  /** pino level. @default "info" */
  level?: string
  /** Human-readable lines (pino-pretty). @default the app's `debug` */
  pretty?: boolean
  /** Log one line per request (method, path, status, ms, reqId). @default true */
  requests?: boolean
  /** Where lines go: a file path, a file descriptor, or a stream. @default stdout */
  destination?: string | number | DestinationStream
  /** Extra paths to redact, in pino's syntax. */
  redact?: string[]
}

/**
 * `true`, `false`, options, or your own pino logger.
 * @example
 * ```ts
 * import { App } from "truss"
 * const quiet = new App({ logger: false })
 * const verbose = new App({ logger: true })
 * ```
 */
export type LoggerOption = boolean | LoggerOptions | Logger

/**
 * Paths that never reach logs: credentials in headers and common secret fields, at the
 * top level and one level down under any key (`*.password`). Wildcards cost pino time
 * on every line that carries an object, but request lines are written without pino's
 * serializer (see `requestLineWriter`), so only lines with fields pay. Deeper paths go
 * in `redact`.
 */
export const REDACT_PATHS = [
  "authorization",
  "cookie",
  '["set-cookie"]',
  "headers.authorization",
  "headers.cookie",
  'headers["set-cookie"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  "password",
  "secret",
  "token",
  "*.password",
  "*.secret",
  "*.token",
  "*.authorization",
  "*.cookie",
  '*["set-cookie"]',
]

const require = createRequire(import.meta.url)
const pinoModule = lazyRequire<typeof import("pino")>("pino")

/** An app's logger, built when first used. @internal */
export interface AppLogger {
  /** The logger (built now if it was not yet). */
  get(): Logger
  /** The logger if it was built, so shutdown flushes it without building one. */
  built(): Logger | undefined
  requests: boolean
  requestLine: RequestLineWriter | undefined
}

/**
 * The app's logger. The default (errors only) and `false` write no request lines, so
 * pino (~25 ms of a cold start) loads only when something logs; other options build it now. @internal
 */
export function appLogger(option: LoggerOption | undefined, debug: boolean): AppLogger {
  if (option === undefined || option === false) {
    let log: Logger | undefined
    return {
      get: () => (log ??= createLogger(option, debug).log),
      built: () => log,
      requests: false,
      requestLine: undefined,
    }
  }
  const { log, requests, requestLine } = createLogger(option, debug)
  return { get: () => log, built: () => log, requests, requestLine }
}

/**
 * Builds the app logger. Default (no option): errors only, so nothing is swallowed
 * but tests and benchmarks stay quiet.
 */
export function createLogger(
  option: LoggerOption | undefined,
  debug: boolean,
): { log: Logger; requests: boolean; requestLine: RequestLineWriter | undefined } {
  if (option !== undefined && typeof option === "object" && "child" in option) {
    return { log: option, requests: true, requestLine: undefined }
  }
  const { pino } = pinoModule()
  if (option === false) {
    return { log: pino({ level: "silent" }), requests: false, requestLine: undefined }
  }
  const opts: LoggerOptions = option === true ? {} : (option ?? { level: "error", requests: false })
  const config: PinoOptions = {
    level: opts.level ?? "info",
    redact: { paths: [...REDACT_PATHS, ...(opts.redact ?? [])], censor: "[redacted]" },
  }
  const pretty = opts.pretty ?? debug
  let stream: DestinationStream
  if (pretty) {
    const prettyFactory = require("pino-pretty") as (o: object) => DestinationStream
    stream = prettyFactory({
      colorize: true,
      sync: true,
      singleLine: true,
      ignore: "pid,hostname",
      destination: opts.destination ?? 1,
    })
  } else if (typeof opts.destination === "object") {
    stream = opts.destination
  } else if (typeof opts.destination === "string") {
    stream = new LogFile(opts.destination)
  } else {
    stream = pino.destination({ dest: opts.destination ?? 1, sync: true })
  }
  const log = pino(config, stream)
  // Request lines of a logger made here have a known format (no mixins, serializers or
  // hooks; no request field is redacted), so they are built directly: ~0.8 µs less per
  // request than pino's generic serializer.
  const requestLine =
    !pretty && log.isLevelEnabled("info") ? requestLineWriter(log, stream) : undefined
  return { log, requests: opts.requests ?? true, requestLine }
}

/** Writes one request line, the same bytes `log.info(fields, msg)` would. */
export type RequestLineWriter = (
  reqId: string,
  method: string,
  path: string,
  status: number,
  ms: number,
  /** `performance.now()` when the request ended: the line's time is derived from it. */
  ended: number,
) => void

function requestLineWriter(log: Logger, stream: DestinationStream): RequestLineWriter {
  const bindings =
    (log as unknown as Record<symbol, string>)[pinoModule().pino.symbols.chindingsSym] ?? ""
  const head = `{"level":${log.levels.values.info},"time":`
  // The wall-clock time comes from the request's end reading of the monotonic clock,
  // re-anchored to Date.now() every second (so a stepped system clock shows within a
  // second): a clock read is ~40 ns on a VM. A busy server logs many lines per
  // millisecond, so the time (a double: V8's slow number-to-string path) is formatted
  // once per millisecond.
  let anchor = Number.NEGATIVE_INFINITY
  let wall = 0
  let now = 0
  let time = "0"
  return (reqId, method, path, status, ms, ended) => {
    if (ended - anchor >= 1000) {
      anchor = ended
      wall = Date.now()
    }
    const t = Math.floor(wall + (ended - anchor))
    if (t !== now) {
      now = t
      time = `${t}`
    }
    // The method is an HTTP token (node's parser allows nothing JSON escapes), so the
    // message's escaped form is the escaped path between plain parts.
    const p = JSON.stringify(path)
    const d = `${ms}`
    stream.write(
      `${head}${time}${bindings},"reqId":"${reqId}","method":"${method}","path":${p},"status":${status},"ms":${d},"msg":"${method} ${p.slice(1, -1)} ${status} ${d}ms"}\n`,
    )
  }
}
