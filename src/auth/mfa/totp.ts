import { Secret, TOTP } from "otpauth"
import { renderSVG } from "uqr"
import { mfaErrors } from "./errors.js"

/**
 * What an app stores for one enrolled TOTP authenticator.
 * @example
 * ```ts
 * import { type TotpDevice, totpEnrollment } from "truss/auth"
 * const device: TotpDevice = { secret: totpEnrollment({ issuer: "Acme", account: "a@b.c" }).secret, lastStep: 0 }
 * ```
 */
export interface TotpDevice {
  /** The base32 secret. Keep it server-side only. */
  readonly secret: string
  /** The time step of the last accepted code; a code of this step or older is a replay. */
  readonly lastStep: number
}

/**
 * Options of {@link totpEnrollment}.
 * @example
 * ```ts
 * import type { TotpEnrollmentOptions } from "truss/auth"
 * const options: TotpEnrollmentOptions = { issuer: "Acme", account: "ann@example.com" }
 * ```
 */
export interface TotpEnrollmentOptions {
  /** The service name shown in the authenticator app, e.g. "Acme". */
  readonly issuer: string
  /** The account shown in the app, usually the user's email. */
  readonly account: string
}

const PERIOD = 30

function totpOf(secret: string, issuer = "", label = ""): TOTP {
  return new TOTP({
    issuer,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD,
  })
}

/**
 * Starts a TOTP enrollment: a new 160-bit secret, its `otpauth://` URI and that URI as
 * an SVG QR code. Store the secret only once the user has confirmed a first code with
 * {@link verifyTotp}.
 * @example
 * ```ts
 * import { totpEnrollment } from "truss/auth"
 * const { secret, uri, qrSvg } = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
 * ```
 */
export function totpEnrollment(options: TotpEnrollmentOptions): {
  secret: string
  uri: string
  qrSvg: string
} {
  const secret = new Secret({ size: 20 }).base32
  const uri = totpOf(secret, options.issuer, options.account).toString()
  return { secret, uri, qrSvg: totpQrSvg(uri) }
}

/**
 * Checks a 6-digit code against a device within ±1 time step and refuses a code whose
 * step was already used (replay). Returns the device to store (its new `lastStep`).
 * @throws 401 TRUSS_ERR_AUTH_MFA_CODE_INVALID, TRUSS_ERR_AUTH_MFA_CODE_REPLAYED.
 * @example
 * ```ts
 * import { totpEnrollment, verifyTotp } from "truss/auth"
 * const { secret } = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
 * const device = { secret, lastStep: 0 }
 * // const updated = verifyTotp(device, "123456") // throws unless the code is current
 * ```
 */
export function verifyTotp(device: TotpDevice, code: string, now = Date.now()): TotpDevice {
  if (!/^\d{6}$/.test(code)) throw mfaErrors.MFA_CODE_INVALID()
  const delta = totpOf(device.secret).validate({ token: code, timestamp: now, window: 1 })
  if (delta === null) throw mfaErrors.MFA_CODE_INVALID()
  const step = Math.floor(now / 1000 / PERIOD) + delta
  if (step <= device.lastStep) throw mfaErrors.MFA_CODE_REPLAYED()
  return { secret: device.secret, lastStep: step }
}

/**
 * The current code of a secret (for tests and for showing in development).
 * @example
 * ```ts
 * import { totpCode, totpEnrollment } from "truss/auth"
 * totpCode(totpEnrollment({ issuer: "Acme", account: "a@b.c" }).secret).length // 6
 * ```
 */
export function totpCode(secret: string, now = Date.now()): string {
  return totpOf(secret).generate({ timestamp: now })
}

/**
 * An `otpauth://` URI as an SVG QR code (what {@link totpEnrollment} gives as `qrSvg`).
 * @example
 * ```ts
 * import { totpEnrollment, totpQrSvg } from "truss/auth"
 * const { uri } = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
 * totpQrSvg(uri).startsWith("<svg") // true
 * ```
 */
export function totpQrSvg(uri: string): string {
  return renderSVG(uri, { border: 2 })
}
