import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { LinkedAccount, linkIdentity, type OidcIdentity } from "../../src/auth/oidc/index.js"
import { createTables, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"

const identity = (
  provider: string,
  subject: string,
  email: string,
  emailVerified: boolean,
): OidcIdentity => ({
  provider,
  subject,
  email,
  emailVerified,
  claims: {},
})

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: account linking`, () => {
    let db: Database
    let drop: () => Promise<void>
    // The app's users, as the app's own lookup would see them.
    const users = new Map<string, number>([["ann@example.com", 1]])
    let next = 100
    const lookup = {
      findByEmail: async (email: string) => users.get(email.toLowerCase()),
      create: async (i: OidcIdentity) => {
        users.set(i.email ?? "", ++next)
        return next
      },
    }
    beforeAll(async () => {
      ;({ db, drop } = await target.open())
      await createTables(db, [LinkedAccount])
    })
    afterAll(() => drop())

    it("links a provider to the existing user by verified email, and several providers to one user", async () => {
      expect(
        await linkIdentity(db, identity("google", "g-1", "Ann@Example.com", true), lookup),
      ).toBe("1")
      expect(
        await linkIdentity(db, identity("github", "gh-9", "ann@example.com", true), lookup),
      ).toBe("1")
      expect(
        await linkIdentity(db, identity("google", "g-1", "changed@example.com", true), lookup),
      ).toBe("1")
      const rows = await db.query(LinkedAccount).filter({ userId: "1" }).orderBy("provider").all()
      expect(rows.map((r) => [r.provider, r.subject])).toEqual([
        ["github", "gh-9"],
        ["google", "g-1"],
      ])
    })

    it("never links on an unverified email: it makes a new user instead", async () => {
      expect(
        await linkIdentity(db, identity("other", "o-1", "ann@example.com", false), lookup),
      ).toBe("101")
    })

    it("returns undefined for an unknown identity when the app makes no users, linking nothing", async () => {
      expect(
        await linkIdentity(db, identity("kc", "k-1", "zed@example.com", true), {
          findByEmail: lookup.findByEmail,
        }),
      ).toBe(undefined)
      expect(await db.query(LinkedAccount).filter({ provider: "kc" }).count()).toBe(0)
    })
  })
}
