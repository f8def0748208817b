import { pbkdf2Sync } from "node:crypto"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  authenticate,
  authModels,
  createUser,
  hashPasswordScrypt,
  needsRehash,
  User,
  verifyPassword,
} from "../../src/auth/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

function djangoHash(password: string, salt: string, iterations: number): string {
  const key = pbkdf2Sync(password, salt, iterations, 32, "sha256").toString("base64")
  return `pbkdf2_sha256$${iterations}$${salt}$${key}`
}

describe("passwords", () => {
  it("verifies a Django pbkdf2_sha256 hash and asks for a rehash", async () => {
    const encoded = djangoHash("s3cret pass", "abcdefgh12345678", 1000)
    expect(await verifyPassword(encoded, "s3cret pass")).toBe(true)
    expect(await verifyPassword(encoded, "wrong")).toBe(false)
    expect(needsRehash(encoded)).toBe(true)
  })
  it("verifies a scrypt PHC string", async () => {
    const encoded = await hashPasswordScrypt("pw one")
    expect(encoded.startsWith("$scrypt$ln=17,r=8,p=1$")).toBe(true)
    expect(await verifyPassword(encoded, "pw one")).toBe(true)
    expect(await verifyPassword(encoded, "pw two")).toBe(false)
  })
})

for (const target of await testDatabases()) {
  if (target.name === "mysql-no-returning" || target.name === "postgres-pipeline") continue
  describe.skipIf(!target.available)(`${target.name}: authenticate`, () => {
    let db: Database
    let drop: () => Promise<void>
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, authModels)
    })
    afterAll(() => drop())

    it("finds a user by email case-insensitively with an argon2id hash", async () => {
      await createUser(db, { email: "Ann@Example.com", password: "long enough pass" })
      const user = await authenticate(db, "ANN@example.COM ", "long enough pass")
      expect(user?.email).toBe("ann@example.com")
      expect(user?.password.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true)
    })
    it("gives undefined for a wrong password and for an unknown email alike", async () => {
      expect(await authenticate(db, "ann@example.com", "nope")).toBe(undefined)
      expect(await authenticate(db, "nobody@example.com", "nope")).toBe(undefined)
    })
    it("upgrades a Django hash to argon2id on a successful login", async () => {
      await db.query(User).create({
        email: "dj@example.com",
        password: djangoHash("from django", "saltsalt", 1000),
      } as never)
      await authenticate(db, "dj@example.com", "from django")
      const row = await db.query(User).filter({ email: "dj@example.com" }).get()
      expect(row.password.startsWith("$argon2id$")).toBe(true)
      expect(await verifyPassword(row.password, "from django")).toBe(true)
    })
    it("refuses an inactive user", async () => {
      await createUser(db, { email: "off@example.com", password: "pw pw pw pw" })
      await db.query(User).filter({ email: "off@example.com" }).update({ isActive: false })
      expect(await authenticate(db, "off@example.com", "pw pw pw pw")).toBe(undefined)
    })
  })
}
