import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import {
  mfaErrors,
  recoveryCodes,
  totpCode,
  totpEnrollment,
  useRecoveryCode,
  verifyTotp,
} from "../../src/auth/mfa/index.js"

const T = 1_800_000_000_000 // a fixed instant: step 60_000_000
const STEP = 60_000_000

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    return (err as { code: string }).code
  }
}

describe("TOTP enrollment", () => {
  it("gives a 32-char base32 secret, an otpauth:// URI naming issuer and account, and an SVG QR code", () => {
    const e = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
    expect(e.secret).toMatch(/^[A-Z2-7]{32}$/)
    expect(e.uri).toBe(
      `otpauth://totp/Acme:ann%40example.com?issuer=Acme&secret=${e.secret}&algorithm=SHA1&digits=6&period=30`,
    )
    expect(e.qrSvg.startsWith("<svg")).toBe(true)
    expect(e.qrSvg.endsWith("</svg>")).toBe(true)
  })
})

describe("TOTP verification", () => {
  const { secret } = totpEnrollment({ issuer: "Acme", account: "a@b.c" })

  it("accepts the current code and the codes one step before and after, recording the step", () => {
    expect(verifyTotp({ secret, lastStep: 0 }, totpCode(secret, T), T).lastStep).toBe(STEP)
    expect(verifyTotp({ secret, lastStep: 0 }, totpCode(secret, T - 30_000), T).lastStep).toBe(
      STEP - 1,
    )
    expect(verifyTotp({ secret, lastStep: 0 }, totpCode(secret, T + 30_000), T).lastStep).toBe(
      STEP + 1,
    )
  })

  it("refuses codes two steps away with TRUSS_ERR_AUTH_MFA_CODE_INVALID", () => {
    expect(codeOf(() => verifyTotp({ secret, lastStep: 0 }, totpCode(secret, T - 60_000), T))).toBe(
      "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
    )
    expect(codeOf(() => verifyTotp({ secret, lastStep: 0 }, totpCode(secret, T + 60_000), T))).toBe(
      "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
    )
    expect(codeOf(() => verifyTotp({ secret, lastStep: 0 }, "12345", T))).toBe(
      "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
    )
  })

  it("refuses a code already used, and an older one after it, with TRUSS_ERR_AUTH_MFA_CODE_REPLAYED (401)", () => {
    const code = totpCode(secret, T)
    const after = verifyTotp({ secret, lastStep: 0 }, code, T)
    expect(codeOf(() => verifyTotp(after, code, T + 10_000))).toBe(
      "TRUSS_ERR_AUTH_MFA_CODE_REPLAYED",
    )
    expect(codeOf(() => verifyTotp(after, totpCode(secret, T - 30_000), T))).toBe(
      "TRUSS_ERR_AUTH_MFA_CODE_REPLAYED",
    )
    expect(mfaErrors.MFA_CODE_REPLAYED.status).toBe(401)
    expect(verifyTotp(after, totpCode(secret, T + 30_000), T + 30_000).lastStep).toBe(STEP + 1)
  })
})

describe("recovery codes", () => {
  it("makes ten distinct codes stored as their sha256 hashes", () => {
    const { codes, hashes } = recoveryCodes()
    expect(codes).toHaveLength(10)
    expect(new Set(codes).size).toBe(10)
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
    expect(hashes).toEqual(
      codes.map((c) => createHash("sha256").update(c.replace("-", "")).digest("hex")),
    )
  })

  it("spends each code once, accepting it without the dash or in capitals", () => {
    const { codes, hashes } = recoveryCodes()
    const [first = "", second = ""] = codes
    const left = useRecoveryCode(hashes, first)
    expect(left).toEqual(hashes.slice(1))
    expect(codeOf(() => useRecoveryCode(left, first))).toBe("TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID")
    expect(useRecoveryCode(left, second.replace("-", "").toUpperCase())).toEqual(hashes.slice(2))
    expect(codeOf(() => useRecoveryCode(hashes, "aaaaa-aaaaa"))).toBe(
      "TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID",
    )
  })
})
