import { stringifySetCookie } from "cookie"
import { APP, type Context, DONE, errors, type Middleware, type Next } from "../kit.js"
import { setSession } from "./context.js"
import { sessionErrors } from "./errors.js"
import { StoreSession } from "./session.js"
import { Signer } from "./signer.js"
import type { SessionStore } from "./store.js"
import { cookieStore } from "./stores/cookie.js"

/**
 * Cookie settings of {@link sessions}.
 * @example
 * ```ts
 * import type { SessionCookieOptions } from "truss/sessions"
 * const cookie: SessionCookieOptions = { name: "sid", sameSite: "strict", maxAge: false }
 * ```
 */
export interface SessionCookieOptions {
  /** @default "truss_session" */
  name?: string
  /** Lifetime in seconds; `false` makes a browser-session cookie. @default the time left before the session expires */
  maxAge?: number | false
  /** @default the request's host only */
  domain?: string
  /** @default "/" */
  path?: string
  /** @default "lax" */
  sameSite?: "lax" | "strict" | "none"
  /** `"auto"` sets `Secure` when the request is HTTPS (directly or via a trusted proxy). @default "auto" */
  secure?: boolean | "auto"
}

/**
 * Options of {@link sessions}. Give `secret` or `secrets`.
 * @example
 * ```ts
 * import type { SessionOptions } from "truss/sessions"
 * const options: SessionOptions = {
 *   secrets: [process.env.SESSION_SECRET ?? "", process.env.OLD_SESSION_SECRET ?? ""],
 *   idleTimeout: 30 * 60,
 *   absoluteTimeout: 12 * 3600,
 * }
 * ```
 */
export interface SessionOptions {
  /** The key that signs the cookie: at least 32 random characters. */
  secret?: string
  /** Rotation: the first signs, all of them verify. Drop an old one once its sessions have expired. */
  secrets?: readonly string[]
  /** Where sessions live. @default cookieStore() (the data, signed, in the cookie) */
  store?: SessionStore
  cookie?: SessionCookieOptions
  /** Seconds without a save before the session expires. @default 1209600 (14 days) */
  idleTimeout?: number
  /** Seconds after creation when the session expires however active. @default 2592000 (30 days) */
  absoluteTimeout?: number
  /** Save (and re-send the cookie) on every request, not only when changed. @default false */
  rolling?: boolean
}

/** Browsers keep cookies up to 4096 bytes, name, value and attributes included. */
const COOKIE_LIMIT = 4096

interface Settings {
  name: string
  store: SessionStore
  signer: Signer
  idleMs: number
  absoluteMs: number
  rolling: boolean
  cookie: SessionCookieOptions
}

/**
 * Adds `c.session` and `c.flash()`. The session is loaded from a signed cookie, and
 * saved after the handler only when it changed (or with `rolling`), or when a
 * quarter of the idle timeout has passed, so an active user is never logged out.
 * A cookie that fails its signature, or an expired session, gives a new empty session.
 *
 * @param options - `secret`/`secrets`, `store`, `cookie`, `idleTimeout`, `absoluteTimeout`, `rolling`.
 * @throws TRUSS_ERR_SESSION_SECRET_MISSING, TRUSS_ERR_SESSION_SECRET_WEAK at setup;
 * a cookie-store session that outgrows 4 KB is not saved: the response is sent, the
 * client keeps its previous cookie, and TRUSS_ERR_SESSION_COOKIE_TOO_LARGE is logged.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { sessions } from "truss/sessions"
 * const app = new App()
 * app.use(sessions({ secret: "a-very-long-random-secret-from-the-env-0123" }))
 * app.post("/visit", (c) => {
 *   c.session.set("visits", Number(c.session.get("visits") ?? 0) + 1)
 *   return { visits: c.session.get("visits") }
 * })
 * ```
 */
export function sessions(options: SessionOptions): Middleware {
  const secrets = options.secrets ?? (options.secret === undefined ? [] : [options.secret])
  const idle = options.idleTimeout ?? 1_209_600
  const absolute = options.absoluteTimeout ?? 2_592_000
  for (const [option, value] of [
    ["idleTimeout", idle],
    ["absoluteTimeout", absolute],
  ] as const) {
    if (!(value > 0))
      throw errors.INVALID_OPTION({ option, reason: `expected seconds > 0, got ${value}` })
  }
  const s: Settings = {
    name: options.cookie?.name ?? "truss_session",
    store: options.store ?? cookieStore(),
    signer: new Signer(secrets, "truss.session"),
    idleMs: idle * 1000,
    absoluteMs: absolute * 1000,
    rolling: options.rolling ?? false,
    cookie: options.cookie ?? {},
  }
  let warned = false
  return function sessions(c, next) {
    if (!warned) {
      warned = true
      if (s.store.devOnly && !c[APP].debug && process.env.NODE_ENV === "production") {
        c[APP].log.warn(
          "sessions(): the memory store loses every session on restart and is not shared between processes; use redisStore() or databaseStore() in production",
        )
      }
    }
    const raw = c.req.cookies[s.name]
    if (raw !== undefined) return loaded(c, next, s, raw)
    // No cookie: nothing to load, and usually nothing to save (no promise of our own).
    const session = new StoreSession(s.store, undefined, undefined)
    setSession(c, session)
    const done = next()
    // Everything after us finished in this tick: no promise of our own either.
    if (done === DONE) return saveNew(c, s, session) ?? DONE
    return done.then(() => saveNew(c, s, session))
  }
}

/** Saves a session that started this request, if it got data. */
function saveNew(c: Context, s: Settings, session: StoreSession): Promise<void> | undefined {
  if (c.status < 500 && session.modified && !session.empty) return persist(c, s, session)
}

async function loaded(c: Context, next: Next, s: Settings, raw: string): Promise<void> {
  const session = await load(s, raw)
  setSession(c, session)
  await next()
  if (c.status < 500) await commit(c, s, session, true)
}

/** A store call whose failure (the store is down) becomes a coded 503 with Retry-After. */
async function reach<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (cause) {
    throw sessionErrors.STORE_UNAVAILABLE(undefined, {
      cause,
      expose: true,
      headers: { "retry-after": "1" },
    })
  }
}

async function load(s: Settings, raw: string): Promise<StoreSession> {
  const now = Date.now()
  const payload = s.signer.unsign(raw)
  const id = payload === undefined || s.store.inCookie ? undefined : payload
  let record = payload === undefined ? undefined : await reach(s.store.read(payload))
  if (
    record !== undefined &&
    (now - record.touched > s.idleMs || now - record.created > s.absoluteMs)
  ) {
    if (id !== undefined) await s.store.destroy?.(id)
    record = undefined
  }
  return new StoreSession(s.store, record === undefined ? undefined : id, record)
}

async function commit(
  c: Context,
  s: Settings,
  session: StoreSession,
  hadCookie: boolean,
): Promise<void> {
  const now = Date.now()
  const stale = !session.isNew && now - session.touched > s.idleMs / 4
  const save = session.modified || ((s.rolling || stale) && !session.isNew)
  if (!save || session.empty) {
    // A cookie that named nothing valid (tampered, expired, destroyed) is cleared.
    if (hadCookie && (session.isNew || (save && session.empty))) {
      if (!session.isNew) await s.store.destroy?.(session.id!)
      setCookie(c, s, "", 0)
    }
    return
  }
  await persist(c, s, session, now)
}

async function persist(
  c: Context,
  s: Settings,
  session: StoreSession,
  now = Date.now(),
): Promise<void> {
  const ttl = Math.min(s.idleMs, s.absoluteMs - (now - session.created))
  const id = session.id ?? ""
  const payload = await reach(s.store.write(id, session.toRecord(now), ttl))
  const value = s.signer.sign(typeof payload === "string" ? payload : id)
  const maxAge = s.cookie.maxAge === undefined ? Math.ceil(ttl / 1000) : s.cookie.maxAge
  setCookie(c, s, value, maxAge === false ? undefined : maxAge)
}

function setCookie(c: Context, s: Settings, value: string, maxAge: number | undefined): void {
  const o = s.cookie
  const header = stringifySetCookie({
    name: s.name,
    value,
    path: o.path ?? "/",
    domain: o.domain,
    sameSite: o.sameSite ?? "lax",
    secure: o.secure === undefined || o.secure === "auto" ? c.req.secure : o.secure,
    httpOnly: true,
    maxAge,
    expires: maxAge === 0 ? new Date(0) : undefined,
  })
  if (header.length > COOKIE_LIMIT) {
    // The handler's work is done (a row written, a mail sent): failing now would make a
    // retrying user repeat it. The response stands; the session keeps its last cookie.
    const err = sessionErrors.COOKIE_TOO_LARGE({ size: header.length, limit: COOKIE_LIMIT })
    c.log.error({ err }, "session not saved: its cookie is too large")
    return
  }
  c.header("set-cookie", header, { append: true })
}
