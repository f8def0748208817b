import type { Context } from "../kit.js"
import type { Backplane } from "./backplanes/backplane.js"
import { realtimeErrors } from "./errors.js"

/**
 * Which page origins may open a socket: a list of origins (`"https://app.example"`),
 * `"*"` for any, or a function. Requests without an `Origin` header come from non-browser
 * clients, which cannot be driven by another site, and are let through unless
 * `requireOrigin` is set.
 * @example
 * ```ts
 * import type { OriginPolicy } from "truss/realtime"
 * const origins: OriginPolicy = (origin) => origin.endsWith(".example.com")
 * ```
 */
export type OriginPolicy = readonly string[] | "*" | ((origin: string, c: Context) => boolean)

/**
 * The limits of one socket; `realtime()` sets the defaults, a `ws()` route may override them.
 * @example
 * ```ts
 * import type { SocketLimits } from "truss/realtime"
 * const limits: SocketLimits = {
 *   maxMessageSize: 64 * 1024,
 *   rateLimit: { messages: 20, interval: 1000, action: "close" },
 *   backpressure: { maxBuffered: 256 * 1024, action: "drop" },
 *   heartbeat: 10_000,
 *   idleTimeout: 60_000,
 *   maxChannels: 20,
 * }
 * ```
 */
export interface SocketLimits {
  /** Largest message in bytes; a bigger one closes the socket with 1009. @default 1048576 */
  maxMessageSize?: number
  /**
   * At most `messages` per `interval` ms. Past it a message is dropped and one
   * `TRUSS_ERR_REALTIME_RATE_LIMITED` error frame is sent per window (`"drop"`), or the
   * socket is closed with 1008 (`"close"`). @default { messages: 100, interval: 1000, action: "drop" }
   */
  rateLimit?: { messages: number; interval: number; action?: "drop" | "close" } | false
  /**
   * When more than `maxBuffered` bytes wait to be written to a slow client, a new message
   * is dropped (`"drop"`) or the socket is closed with 1013 (`"close"`).
   * @default { maxBuffered: 1048576, action: "drop" }
   */
  backpressure?: { maxBuffered: number; action?: "drop" | "close" }
  /** Ping every this many ms; a socket that has not answered the previous ping is cut. @default 30000 */
  heartbeat?: number
  /** Close (1000, "idle timeout") a socket that sent nothing for this many ms; 0 is off. @default 0 */
  idleTimeout?: number
  /** Channels one socket may be in at once; one more is refused with `TRUSS_ERR_REALTIME_CHANNEL_LIMIT`. @default 100 */
  maxChannels?: number
}

/**
 * Options for `realtime(app, options)`.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { memoryBackplane, realtime } from "truss/realtime"
 * const rt = realtime(new App(), {
 *   backplane: memoryBackplane(),
 *   origins: ["https://chat.example"],
 *   user: (c) => c.req.header("x-user"),
 *   presence: { interval: 5000, ttl: 15000 },
 * })
 * ```
 */
export interface RealtimeOptions extends SocketLimits {
  /** Carries broadcasts and presence between processes. @default memoryBackplane() (one process) */
  backplane?: Backplane
  /** Origins allowed to open a socket. @default the request's own origin only */
  origins?: OriginPolicy
  /** Refuse (403) upgrades without an `Origin` header. @default false */
  requireOrigin?: boolean
  /** The user a connection belongs to, for `rt.toUser()` and presence. @default none */
  user?: (c: Context) => string | undefined
  /** Presence heartbeat: each process announces itself every `interval` ms; one silent for `ttl` ms drops out. @default { interval: 5000, ttl: 15000 } */
  presence?: { interval?: number; ttl?: number }
  /** Time sockets get to close (1001) on `rt.close()` before they are cut, in ms. @default 5000 */
  shutdownTimeout?: number
}

/** Limits with every default filled in. @internal */
export interface ResolvedLimits {
  readonly maxMessageSize: number
  readonly rateLimit:
    | { readonly messages: number; readonly interval: number; readonly action: "drop" | "close" }
    | undefined
  readonly backpressure: { readonly maxBuffered: number; readonly action: "drop" | "close" }
  readonly heartbeat: number
  readonly idleTimeout: number
  readonly maxChannels: number
}

const DEFAULTS: ResolvedLimits = {
  maxMessageSize: 1024 * 1024,
  rateLimit: { messages: 100, interval: 1000, action: "drop" },
  backpressure: { maxBuffered: 1024 * 1024, action: "drop" },
  heartbeat: 30_000,
  idleTimeout: 0,
  maxChannels: 100,
}

function positive(option: string, value: number, zero = false): number {
  if (Number.isFinite(value) && (value > 0 || (zero && value === 0))) return value
  throw realtimeErrors.BAD_OPTION({
    option,
    value: String(value),
    expected: zero ? "0 or a positive number" : "a positive number",
  })
}

/** Fills in defaults and checks every number eagerly. @internal */
export function resolveLimits(own: SocketLimits, base: ResolvedLimits = DEFAULTS): ResolvedLimits {
  const rate =
    own.rateLimit === undefined
      ? base.rateLimit
      : own.rateLimit === false
        ? undefined
        : own.rateLimit
  const back = own.backpressure ?? base.backpressure
  return Object.freeze({
    maxMessageSize: positive("maxMessageSize", own.maxMessageSize ?? base.maxMessageSize),
    rateLimit:
      rate === undefined
        ? undefined
        : {
            messages: positive("rateLimit.messages", rate.messages),
            interval: positive("rateLimit.interval", rate.interval),
            action: rate.action ?? "drop",
          },
    backpressure: {
      maxBuffered: positive("backpressure.maxBuffered", back.maxBuffered),
      action: back.action ?? "drop",
    },
    heartbeat: positive("heartbeat", own.heartbeat ?? base.heartbeat),
    idleTimeout: positive("idleTimeout", own.idleTimeout ?? base.idleTimeout, true),
    maxChannels: positive("maxChannels", own.maxChannels ?? base.maxChannels),
  })
}

/** Whether the upgrade's Origin passes `policy`. @internal */
export function originAllowed(
  c: Context,
  policy: OriginPolicy | undefined,
  required: boolean,
): boolean {
  const origin = c.req.header("origin")
  if (origin === undefined) return !required
  if (policy === "*") return true
  if (typeof policy === "function") return policy(origin, c)
  if (policy === undefined) return origin === `${c.req.protocol}://${c.req.host}`
  return policy.includes(origin)
}
