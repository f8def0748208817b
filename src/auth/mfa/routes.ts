import { Blueprint, type Context, slotsOf, TrussError } from "../../kit.js"
import type { Database } from "../../orm/index.js"
import "../../security/index.js"
import { type UserModelOption, userFromSession } from "../login.js"
import { checkSecondFactor, confirmTotp, disableTotp } from "./devices.js"
import { mfaErrors } from "./errors.js"
import {
  defaultLayout,
  disabledPage,
  enabledPage,
  enrollPage,
  type MfaLayout,
  type PageError,
  verifyPage,
} from "./pages.js"
import { finishSecondFactor, pendingSecondFactor } from "./pending.js"
import { assertRecentLogin } from "./step-up.js"
import { totpEnrollment, totpQrSvg } from "./totp.js"

/**
 * Options of {@link totpRoutes}.
 * @example
 * ```ts
 * import type { TotpRoutesOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const options: TotpRoutesOptions = { db: await connect("sqlite::memory:"), issuer: "Acme", redirectTo: "/dashboard" }
 * ```
 */
export interface TotpRoutesOptions extends UserModelOption {
  /** The database holding `auth_user` and `auth_totp_device`. */
  readonly db: Database
  /** The service name the authenticator app shows, e.g. "Acme". */
  readonly issuer: string
  /** @default "/mfa" */
  readonly prefix?: string
  /** Where a completed sign-in goes. @default "/" */
  readonly redirectTo?: string
  /** Seconds since the last sign-in within which enrollment may be confirmed. @default 600 */
  readonly stepUpMaxAge?: number
  /** Wraps each page in your layout. */
  readonly layout?: MfaLayout
}

const ENROLL_KEY = "_totp_enroll"

interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

const raw = (c: Context) => c.session as unknown as RawSession
const csrfOf = (c: Context) => slotsOf(c).csrfToken?.(c)

function refused(err: unknown): PageError {
  if (err instanceof TrussError && err.status < 500) return { code: err.code, message: err.message }
  throw err
}

async function codeOf(c: Context): Promise<string> {
  const value = (await c.req.form()).get("code")
  return typeof value === "string" ? value : ""
}

/**
 * The TOTP pages, to mount after `sessions()` (and `csrf()`, whose token the forms
 * carry): `GET/POST /mfa/totp` enrolls the signed-in user (a QR code of the
 * `otpauth://` URI as SVG, the secret, a first code; then ten recovery codes), and
 * `GET/POST /mfa/verify` takes the code of a password sign-in started with
 * `startSecondFactor()`, then logs the user in. A refused code re-renders the form
 * with its `TRUSS_ERR_AUTH_MFA_*` code and status. `POST /mfa/totp/disable` turns it off.
 * Enrolling and disabling need a sign-in within `stepUpMaxAge` seconds.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { totpRoutes } from "truss/auth"
 * import { connect } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const app = new App().use(sessions({ secret: process.env.SESSION_SECRET ?? "" }))
 * app.register(totpRoutes({ db, issuer: "Acme" }))
 * ```
 */
export function totpRoutes(options: TotpRoutesOptions): Blueprint {
  const { db } = options
  const prefix = options.prefix ?? "/mfa"
  const layout = options.layout ?? defaultLayout
  const maxAge = options.stepUpMaxAge ?? 600
  const bp = new Blueprint({ prefix, name: "mfa" })

  const enrollment = async (c: Context, error?: PageError) => {
    const user = await userFromSession(c, db, { model: options.model })
    if (user === undefined) throw mfaErrors.MFA_LOGIN_REQUIRED()
    // One secret per enrollment: a reload or a wrong code keeps the QR code already scanned.
    let pending = raw(c).get(ENROLL_KEY) as { secret: string; uri: string } | undefined
    if (pending === undefined) {
      const fresh = totpEnrollment({ issuer: options.issuer, account: user.email })
      pending = { secret: fresh.secret, uri: fresh.uri }
      raw(c).set(ENROLL_KEY, pending)
    }
    const qrSvg = totpQrSvg(pending.uri)
    const body = enrollPage({
      ...pending,
      qrSvg,
      action: `${prefix}/totp`,
      csrf: csrfOf(c),
      ...(error === undefined ? {} : { error }),
    })
    return c.html(layout("Set up two-factor authentication", body), error === undefined ? 200 : 401)
  }

  bp.get("/totp", { name: "totp" }, (c) => enrollment(c))
  bp.post("/totp", async (c) => {
    const user = await userFromSession(c, db, { model: options.model })
    if (user === undefined) throw mfaErrors.MFA_LOGIN_REQUIRED()
    assertRecentLogin(c, maxAge)
    const pending = raw(c).get(ENROLL_KEY) as { secret: string } | undefined
    if (pending === undefined) return enrollment(c)
    try {
      const { recoveryCodes } = await confirmTotp(db, user.id, pending.secret, await codeOf(c))
      raw(c).delete(ENROLL_KEY)
      return c.html(layout("Two-factor authentication is on", enabledPage(recoveryCodes)))
    } catch (err) {
      return enrollment(c, refused(err))
    }
  })

  bp.post("/totp/disable", async (c) => {
    const user = await userFromSession(c, db, { model: options.model })
    if (user === undefined) throw mfaErrors.MFA_LOGIN_REQUIRED()
    assertRecentLogin(c, maxAge)
    await disableTotp(db, user.id)
    return c.html(layout("Two-factor authentication is off", disabledPage()))
  })

  const verify = (c: Context, error?: PageError) =>
    c.html(
      layout(
        "Two-factor authentication",
        verifyPage({
          action: `${prefix}/verify`,
          csrf: csrfOf(c),
          ...(error === undefined ? {} : { error }),
        }),
      ),
      error === undefined ? 200 : 401,
    )
  bp.get("/verify", { name: "verify" }, async (c) => {
    if ((await pendingSecondFactor(c, db, { model: options.model })) === undefined)
      throw mfaErrors.MFA_NOT_PENDING()
    return verify(c)
  })
  bp.post("/verify", async (c) => {
    const user = await pendingSecondFactor(c, db, { model: options.model })
    if (user === undefined) throw mfaErrors.MFA_NOT_PENDING()
    try {
      await checkSecondFactor(db, user.id, await codeOf(c))
    } catch (err) {
      return verify(c, refused(err))
    }
    await finishSecondFactor(c, user)
    return c.redirect(options.redirectTo ?? "/", 303)
  })
  return bp
}
