import type { Executor } from "../../orm/index.js"
import { mfaErrors } from "./errors.js"
import { TotpDeviceModel, type TotpDeviceRow } from "./model.js"
import { recoveryCodes, useRecoveryCode } from "./recovery.js"
import { verifyTotp } from "./totp.js"

/**
 * Confirms a TOTP enrollment with its first code and stores the device (replacing an
 * earlier one), with ten new recovery codes: show `recoveryCodes` once.
 * @throws 401 TRUSS_ERR_AUTH_MFA_CODE_INVALID when the code is not current.
 * @example
 * ```ts
 * import { confirmTotp, totpCode, totpEnrollment } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * const { secret } = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
 * // const { recoveryCodes } = await confirmTotp(db, 1, secret, totpCode(secret))
 * ```
 */
export async function confirmTotp(
  db: Executor,
  userId: string | number,
  secret: string,
  code: string,
  now = Date.now(),
): Promise<{ device: TotpDeviceRow; recoveryCodes: string[] }> {
  const { lastStep } = verifyTotp({ secret, lastStep: 0 }, code, now)
  const { codes, hashes } = recoveryCodes()
  await db
    .query(TotpDeviceModel)
    .filter({ userId: String(userId) })
    .delete()
  const device = await db.query(TotpDeviceModel).create({
    userId: String(userId),
    secret,
    lastStep: BigInt(lastStep),
    recoveryHashes: hashes,
  })
  return { device, recoveryCodes: codes }
}

/**
 * Whether the user has a confirmed TOTP device (so a password sign-in needs a code).
 * @example
 * ```ts
 * import { hasTotp } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * // if (await hasTotp(db, user.id)) startSecondFactor(c, user)
 * ```
 */
export async function hasTotp(db: Executor, userId: string | number): Promise<boolean> {
  return (
    (await db
      .query(TotpDeviceModel)
      .filter({ userId: String(userId) })
      .count()) > 0
  )
}

/**
 * Checks a second factor for a user: a 6-digit TOTP code (±1 step, a used step refused)
 * or one of the recovery codes (`xxxxx-xxxxx`, each once). The device row is updated
 * only if no other request changed it meanwhile (its `version`), so a code counts once.
 * @throws 401 TRUSS_ERR_AUTH_MFA_CODE_INVALID, TRUSS_ERR_AUTH_MFA_CODE_REPLAYED, TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID.
 * @example
 * ```ts
 * import { checkSecondFactor } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * // await checkSecondFactor(db, user.id, "123456")
 * ```
 */
export async function checkSecondFactor(
  db: Executor,
  userId: string | number,
  code: string,
  now = Date.now(),
): Promise<void> {
  const device = await db
    .query(TotpDeviceModel)
    .filter({ userId: String(userId) })
    .first()
  if (device === undefined) throw mfaErrors.MFA_CODE_INVALID()
  const typed = code.trim()
  if (/^\d{6}$/.test(typed)) {
    const { lastStep } = verifyTotp(
      { secret: device.secret, lastStep: Number(device.lastStep) },
      typed,
      now,
    )
    if (!(await bump(db, device, { lastStep: BigInt(lastStep) }, now))) {
      throw mfaErrors.MFA_CODE_REPLAYED()
    }
    return
  }
  const left = useRecoveryCode(device.recoveryHashes, typed)
  if (!(await bump(db, device, { recoveryHashes: left }, now))) {
    throw mfaErrors.MFA_RECOVERY_INVALID()
  }
}

/** Updates the device if its version is still the one read; false when another use won. */
async function bump(
  db: Executor,
  device: TotpDeviceRow,
  values: { lastStep?: bigint; recoveryHashes?: string[] },
  now: number,
): Promise<boolean> {
  const updated = await db
    .query(TotpDeviceModel)
    .filter({ id: device.id, version: device.version })
    .update({ ...values, version: device.version + 1, lastUsedAt: new Date(now) })
  return updated === 1
}

/**
 * Turns TOTP off for a user: deletes the device and its recovery codes. Guard the
 * route with a recent sign-in (`assertRecentLogin`). Returns whether one existed.
 * @example
 * ```ts
 * import { disableTotp } from "truss/auth"
 * import { connect } from "truss/orm"
 * const db = await connect("sqlite::memory:")
 * // await disableTotp(db, user.id) // true when TOTP was on
 * ```
 */
export async function disableTotp(db: Executor, userId: string | number): Promise<boolean> {
  return (
    (await db
      .query(TotpDeviceModel)
      .filter({ userId: String(userId) })
      .delete()) > 0
  )
}
