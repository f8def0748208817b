import { describe, expect, it } from "vitest"
import type { AuthUser } from "../user-model.js"
import { tokenSigner } from "./tokens.js"

const SECRET = "tokens-unit-test-secret-0123456789-abcd"
const NOW = Date.UTC(2026, 0, 1)

function user(over: Partial<AuthUser> = {}): AuthUser {
  return {
    id: 42,
    email: "ann@example.com",
    username: null,
    password: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    isActive: true,
    isStaff: false,
    isSuperuser: false,
    emailVerified: false,
    lastLogin: new Date(NOW - 60_000),
    dateJoined: new Date(NOW - 86_400_000),
    ...over,
  } as AuthUser
}

describe("tokenSigner()", () => {
  const reset = tokenSigner(SECRET, "password-reset", 3600)

  it("makes <id>.<issued>.<tag>.<signature> tokens that open to the user id until maxAge", () => {
    const token = reset.make(user(), NOW)
    expect(token).toMatch(/^16\.t85s00\.[\w-]{22}\.[\w-]{43}$/)
    expect(reset.open(token, NOW + 3600_000)).toBe(42)
    expect(() => reset.open(token, NOW + 3601_000)).toThrow(
      expect.objectContaining({ code: "TRUSS_ERR_AUTH_LINK_EXPIRED", status: 400 }),
    )
  })

  it("stops matching once the password or the last login changes (single use)", () => {
    const token = reset.make(user(), NOW)
    expect(reset.matches(token, user())).toBe(true)
    expect(reset.matches(token, user({ password: "$argon2id$other" }))).toBe(false)
    expect(reset.matches(token, user({ lastLogin: new Date(NOW) }))).toBe(false)
    // Milliseconds are ignored: some databases do not keep them.
    expect(reset.matches(token, user({ lastLogin: new Date(NOW - 60_000 + 999) }))).toBe(true)
  })

  it("binds verification tokens to the email and its verified flag", () => {
    const verify = tokenSigner(SECRET, "verify-email", 3600)
    const token = verify.make(user(), NOW)
    expect(verify.matches(token, user({ password: "$argon2id$other" }))).toBe(true)
    expect(verify.matches(token, user({ emailVerified: true }))).toBe(false)
    expect(verify.matches(token, user({ email: "new@example.com" }))).toBe(false)
  })

  it("refuses a token of another secret or purpose as tampered", () => {
    const other = tokenSigner(`${SECRET}-rotated`, "password-reset", 3600).make(user(), NOW)
    const verify = tokenSigner(SECRET, "verify-email", 3600).make(user(), NOW)
    for (const token of [other, verify, "", "a.b.c", "1.2.3.4.5"]) {
      expect(() => reset.open(token, NOW)).toThrow(
        expect.objectContaining({ code: "TRUSS_ERR_AUTH_LINK_INVALID", status: 400 }),
      )
    }
  })

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => tokenSigner("short", "password-reset", 60)).toThrow(
      expect.objectContaining({ code: "TRUSS_ERR_AUTH_PAGES_SECRET", status: 500 }),
    )
  })
})
