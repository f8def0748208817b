/**
 * Multi-factor authentication for `truss/auth`: TOTP and recovery codes.
 * @internal
 * @module
 */
export { checkSecondFactor, confirmTotp, disableTotp, hasTotp } from "./devices.js"
export { mfaErrors } from "./errors.js"
export { TotpDeviceModel, type TotpDeviceRow } from "./model.js"
export type { MfaLayout } from "./pages.js"
export {
  finishSecondFactor,
  MFA_PENDING_KEY,
  pendingSecondFactor,
  startSecondFactor,
} from "./pending.js"
export { recoveryCodes, useRecoveryCode } from "./recovery.js"
export { type TotpRoutesOptions, totpRoutes } from "./routes.js"
export {
  AUTH_AT_KEY,
  assertRecentLogin,
  markAuthenticated,
  requireRecentLogin,
} from "./step-up.js"
export {
  type TotpDevice,
  type TotpEnrollmentOptions,
  totpCode,
  totpEnrollment,
  totpQrSvg,
  verifyTotp,
} from "./totp.js"
