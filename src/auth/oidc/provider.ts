import * as oauth from "oauth4webapi"
import type { Context } from "../../kit.js"
import { callbackError, oidcErrors } from "./errors.js"
import { codeClient, exchangeCode, startSignIn, takePending } from "./flow.js"

/**
 * Options of {@link oidcProvider}.
 * @example
 * ```ts
 * import type { OidcProviderOptions } from "truss/auth"
 * const keycloak: OidcProviderOptions = { name: "keycloak", issuer: "https://sso.example.com/realms/main", clientId: "app", clientSecret: "secret", redirectUri: "https://app.example.com/auth/keycloak/callback" }
 * ```
 */
export interface OidcProviderOptions {
  /** The provider's name, used in session keys, e.g. "google". */
  readonly name: string
  /** The issuer URL; its `/.well-known/openid-configuration` is read on first use. */
  readonly issuer: string
  readonly clientId: string
  readonly clientSecret: string
  /** The absolute URL of your callback route. */
  readonly redirectUri: string
  /** @default ["openid", "email", "profile"] */
  readonly scopes?: readonly string[]
  /** Allow an http:// issuer (development and tests on loopback only). @default false */
  readonly allowHttp?: boolean
}

/**
 * The verified identity an OIDC or OAuth 2 sign-in gives.
 * @example
 * ```ts
 * import type { OidcIdentity } from "truss/auth"
 * const linkable = (i: OidcIdentity) => i.emailVerified && i.email !== undefined
 * ```
 */
export interface OidcIdentity {
  readonly provider: string
  readonly subject: string
  readonly email: string | undefined
  readonly emailVerified: boolean
  readonly claims: Readonly<Record<string, unknown>>
}

/**
 * One configured provider (`oidcProvider()` or `oauth2Provider()`).
 * @example
 * ```ts
 * import { App } from "truss"
 * import type { OidcProvider } from "truss/auth"
 * function mount(app: App, name: string, provider: OidcProvider) {
 *   app.get(`/auth/${name}`, async (c) => c.redirect(await provider.start(c)))
 * }
 * ```
 */
export interface OidcProvider {
  /** Starts a sign-in: stores state, nonce and PKCE verifier in the session; returns the URL to redirect to. */
  start(c: Context): Promise<string>
  /** Finishes it on the callback route: checks state, code, nonce and the ID token. */
  callback(c: Context): Promise<OidcIdentity>
}

/**
 * An OpenID Connect provider found by discovery from its issuer URL, signing in with the
 * authorization code flow, PKCE (S256), `state` and `nonce` (oauth4webapi).
 * @throws 400 TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH, TRUSS_ERR_AUTH_OIDC_CALLBACK_INVALID from `callback`;
 * 502 TRUSS_ERR_AUTH_OIDC_PROVIDER_UNAVAILABLE when the provider cannot be reached.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { oidcProvider } from "truss/auth"
 * const google = oidcProvider({ name: "google", issuer: "https://accounts.google.com", clientId: "id", clientSecret: "secret", redirectUri: "https://app.example.com/auth/google/callback" })
 * const app = new App()
 * app.get("/auth/google", async (c) => c.redirect(await google.start(c)))
 * app.get("/auth/google/callback", async (c) => ({ email: (await google.callback(c)).email }))
 * ```
 */
export function oidcProvider(options: OidcProviderOptions): OidcProvider {
  const issuer = new URL(options.issuer)
  const cc = codeClient(options)
  const key = `_oidc_${options.name}`
  const scopes = options.scopes ?? ["openid", "email", "profile"]
  let server: Promise<oauth.AuthorizationServer> | undefined
  const discover = () => {
    // A failed discovery is not kept: the next sign-in tries again.
    server ??= oauth
      .discoveryRequest(issuer, {
        algorithm: "oidc",
        [oauth.allowInsecureRequests]: options.allowHttp === true,
      })
      .then((res) => oauth.processDiscoveryResponse(issuer, res))
      .catch((err: unknown) => {
        server = undefined
        throw oidcErrors.OIDC_PROVIDER_UNAVAILABLE(
          { provider: options.name },
          { cause: err, expose: true },
        )
      })
    return server
  }
  return {
    async start(c) {
      const as = await discover()
      return (await startSignIn(c, key, as.authorization_endpoint ?? "", cc, scopes, true)).url
    },
    async callback(c) {
      const { pending, params } = takePending(c, key)
      const as = await discover()
      try {
        const tokens = await exchangeCode(as, cc, params, pending, {
          expectedNonce: pending.nonce,
          requireIdToken: true,
        })
        const claims = oauth.getValidatedIdTokenClaims(tokens) as oauth.IDToken
        return {
          provider: options.name,
          subject: claims.sub,
          email: typeof claims.email === "string" ? claims.email : undefined,
          emailVerified: claims.email_verified === true,
          claims: { ...claims },
        }
      } catch (err) {
        throw callbackError(options.name, err)
      }
    },
  }
}
