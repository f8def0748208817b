import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  checkSecondFactor,
  confirmTotp,
  hasTotp,
  TotpDeviceModel,
  totpCode,
  totpEnrollment,
} from "../../src/auth/mfa/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const T = 1_800_000_000_000 // step 60_000_000
const STEP = 60_000_000

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return "ok"
  } catch (err) {
    return (err as { code: string }).code
  }
}

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: stored TOTP devices`, () => {
    let db: Database
    let drop: () => Promise<void>
    const { secret } = totpEnrollment({ issuer: "Acme", account: "ann@example.com" })
    let recovery: string[] = []
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [TotpDeviceModel])
    })
    afterAll(() => drop())

    it("stores a device only once its first code is right, with ten recovery hashes", async () => {
      expect(await codeOf(confirmTotp(db, 7, secret, totpCode(secret, T - 90_000), T))).toBe(
        "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
      )
      expect(await hasTotp(db, 7)).toBe(false)
      ;({ recoveryCodes: recovery } = await confirmTotp(db, 7, secret, totpCode(secret, T), T))
      const row = await db.query(TotpDeviceModel).filter({ userId: "7" }).get()
      expect([row.secret, row.lastStep, row.version, row.recoveryHashes.length]).toEqual([
        secret,
        BigInt(STEP),
        0,
        10,
      ])
      expect(await hasTotp(db, 7)).toBe(true)
    })

    it("accepts the next step's code once: two concurrent uses of it, one wins", async () => {
      const code = totpCode(secret, T + 30_000)
      const results = await Promise.all([
        codeOf(checkSecondFactor(db, 7, code, T + 30_000)),
        codeOf(checkSecondFactor(db, 7, code, T + 30_000)),
      ])
      expect(results.sort()).toEqual(["TRUSS_ERR_AUTH_MFA_CODE_REPLAYED", "ok"])
      const row = await db.query(TotpDeviceModel).get()
      expect([row.lastStep, row.version]).toEqual([BigInt(STEP + 1), 1])
      expect(await codeOf(checkSecondFactor(db, 7, totpCode(secret, T), T + 30_000))).toBe(
        "TRUSS_ERR_AUTH_MFA_CODE_REPLAYED",
      )
    })

    it("spends a recovery code once, concurrently too, and refuses unknown users' codes", async () => {
      const code = recovery[0] ?? ""
      const results = await Promise.all([
        codeOf(checkSecondFactor(db, 7, code, T)),
        codeOf(checkSecondFactor(db, 7, code.toUpperCase(), T)),
      ])
      expect(results.sort()).toEqual(["TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID", "ok"])
      expect((await db.query(TotpDeviceModel).get()).recoveryHashes).toHaveLength(9)
      expect(await codeOf(checkSecondFactor(db, 7, code, T))).toBe(
        "TRUSS_ERR_AUTH_MFA_RECOVERY_INVALID",
      )
      expect(await codeOf(checkSecondFactor(db, 8, totpCode(secret, T + 60_000), T + 60_000))).toBe(
        "TRUSS_ERR_AUTH_MFA_CODE_INVALID",
      )
    })
  })
}
