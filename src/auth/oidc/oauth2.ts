import type * as oauth from "oauth4webapi"
import { callbackError } from "./errors.js"
import { codeClient, exchangeCode, startSignIn, takePending } from "./flow.js"
import type { OidcIdentity, OidcProvider } from "./provider.js"

/**
 * Options of {@link oauth2Provider}: a plain OAuth 2 provider, endpoints given, no discovery.
 * @example
 * ```ts
 * import type { OAuth2ProviderOptions } from "truss/auth"
 * const gitea: OAuth2ProviderOptions = {
 *   name: "gitea",
 *   authorizationEndpoint: "https://git.example.com/login/oauth/authorize",
 *   tokenEndpoint: "https://git.example.com/login/oauth/access_token",
 *   userinfoEndpoint: "https://git.example.com/api/v1/user",
 *   clientId: "id",
 *   clientSecret: "secret",
 *   redirectUri: "https://app.example.com/auth/gitea/callback",
 * }
 * ```
 */
export interface OAuth2ProviderOptions {
  /** The provider's name, used in session keys and linked accounts, e.g. "github". */
  readonly name: string
  /** e.g. "https://github.com/login/oauth/authorize". */
  readonly authorizationEndpoint: string
  /** e.g. "https://github.com/login/oauth/access_token". */
  readonly tokenEndpoint: string
  /** The profile API, e.g. "https://api.github.com/user"; its `id` is the subject. */
  readonly userinfoEndpoint: string
  /**
   * The email list API, e.g. "https://api.github.com/user/emails": an array of
   * `{ email, primary, verified }`, whose primary entry gives the email. Without it the
   * profile's `email` is used and never counts as verified.
   */
  readonly emailsEndpoint?: string
  readonly clientId: string
  readonly clientSecret: string
  /** The absolute URL of your callback route. */
  readonly redirectUri: string
  /** @default ["read:user", "user:email"] */
  readonly scopes?: readonly string[]
  /** Allow http:// endpoints (development and tests on loopback only). @default false */
  readonly allowHttp?: boolean
}

interface EmailEntry {
  email?: unknown
  primary?: unknown
  verified?: unknown
}

async function getJson(url: string, token: string, what: string): Promise<unknown> {
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: "application/json",
      "user-agent": "truss-auth",
    },
  })
  if (!res.ok) throw new Error(`${what} answered ${res.status}`)
  return res.json()
}

/** The primary email and whether the provider verified it. */
function primaryEmail(list: unknown): { email: string | undefined; verified: boolean } {
  if (!Array.isArray(list)) throw new Error("the emails endpoint did not answer a list")
  const primary = (list as EmailEntry[]).find((e) => e.primary === true)
  if (primary === undefined || typeof primary.email !== "string") {
    return { email: undefined, verified: false }
  }
  return { email: primary.email, verified: primary.verified === true }
}

/**
 * A plain OAuth 2 provider, GitHub-style: no discovery and no ID token; the identity
 * comes from a profile API and the email from an emails API. Signs in with the
 * authorization code flow, PKCE (S256) and `state` (oauth4webapi). Same interface as
 * `oidcProvider()`, so `oauthLogin()` and the routes treat both alike.
 * @throws 400 TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH, TRUSS_ERR_AUTH_OIDC_CALLBACK_INVALID from `callback`;
 * 502 TRUSS_ERR_AUTH_OIDC_PROVIDER_UNAVAILABLE when the provider cannot be reached.
 * @example
 * ```ts
 * import { oauth2Provider } from "truss/auth"
 * const github = oauth2Provider({
 *   name: "github",
 *   authorizationEndpoint: "https://github.com/login/oauth/authorize",
 *   tokenEndpoint: "https://github.com/login/oauth/access_token",
 *   userinfoEndpoint: "https://api.github.com/user",
 *   emailsEndpoint: "https://api.github.com/user/emails",
 *   clientId: process.env.GITHUB_ID ?? "",
 *   clientSecret: process.env.GITHUB_SECRET ?? "",
 *   redirectUri: "https://app.example.com/auth/github/callback",
 * })
 * ```
 */
export function oauth2Provider(options: OAuth2ProviderOptions): OidcProvider {
  const as: oauth.AuthorizationServer = {
    issuer: new URL(options.authorizationEndpoint).origin,
    authorization_endpoint: options.authorizationEndpoint,
    token_endpoint: options.tokenEndpoint,
  }
  const cc = codeClient(options)
  const key = `_oauth2_${options.name}`
  const scopes = options.scopes ?? ["read:user", "user:email"]
  return {
    async start(c) {
      return (await startSignIn(c, key, options.authorizationEndpoint, cc, scopes, false)).url
    },
    async callback(c): Promise<OidcIdentity> {
      const { pending, params } = takePending(c, key)
      try {
        const token = (await exchangeCode(as, cc, params, pending)).access_token
        const profile = (await getJson(
          options.userinfoEndpoint,
          token,
          "the profile endpoint",
        )) as Record<string, unknown> | null
        const id = profile?.id ?? profile?.sub
        if (typeof id !== "string" && typeof id !== "number") {
          throw new Error("the profile has no id")
        }
        const found =
          options.emailsEndpoint === undefined
            ? {
                email: typeof profile?.email === "string" ? profile.email : undefined,
                verified: false,
              }
            : primaryEmail(await getJson(options.emailsEndpoint, token, "the emails endpoint"))
        return {
          provider: options.name,
          subject: String(id),
          email: found.email,
          emailVerified: found.verified,
          claims: { ...profile },
        }
      } catch (err) {
        throw callbackError(options.name, err)
      }
    },
  }
}
