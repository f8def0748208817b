import { readFileSync } from "node:fs"
import { Blueprint, type Context } from "../../kit.js"
import type { Database } from "../../orm/index.js"
import { userFromSession } from "../login.js"
import { assertRecentLogin } from "../mfa/index.js"
import {
  passkeyLoginOptions,
  passkeySecondFactorOptions,
  verifyPasskeyLogin,
  verifyPasskeySecondFactor,
} from "./authentication.js"
import type { PasskeyConfig } from "./config.js"
import { passkeyErrors } from "./errors.js"
import { deletePasskey, listPasskeys } from "./manage.js"
import { passkeyRegistrationOptions, verifyPasskeyRegistration } from "./registration.js"

/** The browser client: buttons with `data-passkey="register"` or `"login"`. */
const CLIENT_FILE = new URL("./static/client.js", import.meta.url)
/**
 * Options of {@link passkeyRoutes}: the database and the relying party.
 * @example
 * ```ts
 * import type { PasskeyRoutesOptions } from "truss/auth"
 * import { connect } from "truss/orm"
 * const options: PasskeyRoutesOptions = { db: await connect("sqlite::memory:"), rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }
 * ```
 */
export interface PasskeyRoutesOptions extends PasskeyConfig {
  /** The database holding `auth_user` and `auth_passkey` (a `Database`). */
  readonly db: Database
  /** @default "/passkeys" */
  readonly prefix?: string
  /** Seconds since the last sign-in within which passkeys may be added or removed. @default 600 */
  readonly stepUpMaxAge?: number
}

async function body(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    return undefined
  }
}

/**
 * The JSON endpoints of passkeys, to mount after `sessions()`:
 * `POST /passkeys/register/options` and `/passkeys/register` (signed-in user),
 * `/passkeys/login/options` and `/passkeys/login` (passwordless), and
 * `/passkeys/second-factor/options` and `/passkeys/second-factor` (after a password
 * sign-in started with `startSecondFactor()`). Each verification answers
 * `{ user: { id, email } }` (register: `{ passkey: { id, name } }`). `GET /passkeys`
 * lists the user's passkeys and `DELETE /passkeys/:id` removes one; adding and removing
 * need a sign-in within `stepUpMaxAge` seconds.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { passkeyRoutes } from "truss/auth"
 * import { connect } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const app = new App().use(sessions({ secret: process.env.SESSION_SECRET ?? "" }))
 * app.register(passkeyRoutes({ db, rpName: "Acme", rpID: "localhost", origin: "http://localhost:3000" }))
 * ```
 */
export function passkeyRoutes(options: PasskeyRoutesOptions): Blueprint {
  const { db } = options
  const bp = new Blueprint({ prefix: options.prefix ?? "/passkeys", name: "passkeys" })
  const account = (user: { id: unknown; email: string }) => ({
    user: { id: String(user.id), email: user.email },
  })
  const signedIn = async (c: Context, stepUp: boolean) => {
    const user = await userFromSession(c, db, { model: options.model })
    if (user === undefined) throw passkeyErrors.PASSKEY_LOGIN_REQUIRED()
    if (stepUp) assertRecentLogin(c, options.stepUpMaxAge ?? 600)
    return user
  }
  const client = readFileSync(CLIENT_FILE, "utf8")
  bp.get("/client.js", { name: "client" }, (c) =>
    c.text(client, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  )
  bp.get("", async (c) => {
    const user = await signedIn(c, false)
    const rows = await listPasskeys(db, user.id)
    return c.json({
      passkeys: rows.map((p) => ({
        id: p.credentialId,
        name: p.name,
        backedUp: p.backedUp,
        createdAt: p.createdAt.toISOString(),
        lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
      })),
    })
  })
  bp.delete("/:id", async (c) => {
    const user = await signedIn(c, true)
    if (!(await deletePasskey(db, user.id, c.params.id))) throw passkeyErrors.PASSKEY_NOT_FOUND()
    return c.json({ deleted: c.params.id })
  })
  bp.post("/register/options", async (c) => {
    const user = await signedIn(c, true)
    return c.json(await passkeyRegistrationOptions(c, db, user, options))
  })
  bp.post("/register", async (c) => {
    const user = await signedIn(c, true)
    const input = (await body(c)) as { name?: unknown } | undefined
    const name = typeof input?.name === "string" ? input.name : ""
    const passkey = await verifyPasskeyRegistration(c, db, user, input, options, name)
    return c.json({ passkey: { id: passkey.credentialId, name: passkey.name } }, 201)
  })
  bp.post("/login/options", async (c) => c.json(await passkeyLoginOptions(c, options)))
  bp.post("/login", async (c) =>
    c.json(account(await verifyPasskeyLogin(c, db, await body(c), options))),
  )
  bp.post("/second-factor/options", async (c) =>
    c.json(await passkeySecondFactorOptions(c, db, options)),
  )
  bp.post("/second-factor", async (c) =>
    c.json(account(await verifyPasskeySecondFactor(c, db, await body(c), options))),
  )
  return bp
}
