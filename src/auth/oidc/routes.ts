import { Blueprint } from "../../kit.js"
import type { Database } from "../../orm/index.js"
import { type OAuthLoginOptions, oauthLogin } from "./login.js"
import type { OidcProvider } from "./provider.js"

/**
 * Options of {@link oauthRoutes}.
 * @example
 * ```ts
 * import { type OAuthRoutesOptions, oidcProvider } from "truss/auth"
 * import { connect } from "truss/orm"
 * const keycloak = oidcProvider({ name: "keycloak", issuer: "https://sso.example.com/realms/main", clientId: "app", clientSecret: "secret", redirectUri: "https://app.example.com/auth/keycloak/callback" })
 * const options: OAuthRoutesOptions = { db: await connect("sqlite::memory:"), providers: { keycloak } }
 * ```
 */
export interface OAuthRoutesOptions extends OAuthLoginOptions {
  /** The database holding `auth_user` and `auth_linked_account`. */
  readonly db: Database
  /** The providers by name, as in their URLs: `{ google: oidcProvider(…), github: oauth2Provider(…) }`. */
  readonly providers: Readonly<Record<string, OidcProvider>>
  /** @default "/auth" */
  readonly prefix?: string
  /** Where a finished sign-in (or link) goes. @default "/" */
  readonly redirectTo?: string
  /** Where a sign-in awaiting its second factor goes. @default "/mfa/verify" */
  readonly secondFactorUrl?: string
}

/**
 * Sign-in routes for each provider, to mount after `sessions()`: `GET /auth/<name>`
 * redirects to the provider; `GET /auth/<name>/callback` (the provider's redirect URI)
 * checks the answer, links the account and logs the user in with {@link oauthLogin}.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { oauthRoutes, oidcProvider } from "truss/auth"
 * import { connect } from "truss/orm"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const google = oidcProvider({ name: "google", issuer: "https://accounts.google.com", clientId: "id", clientSecret: "secret", redirectUri: "https://app.example.com/auth/google/callback" })
 * const app = new App().use(sessions({ secret: process.env.SESSION_SECRET ?? "" }))
 * app.register(oauthRoutes({ db, providers: { google } }))
 * ```
 */
export function oauthRoutes(options: OAuthRoutesOptions): Blueprint {
  const bp = new Blueprint({ prefix: options.prefix ?? "/auth", name: "oauth" })
  for (const [name, provider] of Object.entries(options.providers)) {
    bp.get(`/${name}`, async (c) => c.redirect(await provider.start(c), 302))
    bp.get(`/${name}/callback`, async (c) => {
      const { outcome } = await oauthLogin(c, options.db, await provider.callback(c), options)
      const to =
        outcome === "second-factor"
          ? (options.secondFactorUrl ?? "/mfa/verify")
          : (options.redirectTo ?? "/")
      return c.redirect(to, 303)
    })
  }
  return bp
}
