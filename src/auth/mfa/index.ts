/**
 * Multi-factor authentication for `truss/auth`: TOTP and recovery codes.
 * @internal
 * @module
 */
export { mfaErrors } from "./errors.js"
export {
  finishSecondFactor,
  MFA_PENDING_KEY,
  pendingSecondFactor,
  startSecondFactor,
} from "./pending.js"
export { recoveryCodes, useRecoveryCode } from "./recovery.js"
export { AUTH_AT_KEY, markAuthenticated, requireRecentLogin } from "./step-up.js"
export {
  type TotpDevice,
  type TotpEnrollmentOptions,
  totpCode,
  totpEnrollment,
  verifyTotp,
} from "./totp.js"
