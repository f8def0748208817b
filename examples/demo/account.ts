import { Blueprint } from "truss"
import { hasTotp, listPasskeys, requireUser } from "truss/auth"
import type { Database } from "truss/orm"

/**
 * The account page: who is signed in, and the second factors they have, with links to
 * set up TOTP and a button (static/passkeys.js) that registers a passkey.
 */
export function accountPages(db: Database): Blueprint {
  const site = new Blueprint({ prefix: "/account", name: "account" })
  site.get("", { name: "show" }, requireUser(), async (c) => {
    const user = c.user!
    const passkeys = await listPasskeys(db, user.id)
    return c.render("account.liquid", {
      account: user,
      totp: await hasTotp(db, user.id),
      passkeys: passkeys.map((p) => ({
        name: p.name,
        created: p.createdAt.toISOString().slice(0, 10),
      })),
    })
  })
  return site
}
