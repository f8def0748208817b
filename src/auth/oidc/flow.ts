/**
 * The authorization code flow that `oidcProvider()` and `oauth2Provider()` share: the
 * pending sign-in kept in the session (state, PKCE verifier, OIDC nonce), the authorize
 * URL, and the code-for-tokens exchange (oauth4webapi).
 * @module
 */
import * as oauth from "oauth4webapi"
import type { Context } from "../../kit.js"
import "../../sessions/index.js"
import { oidcErrors } from "./errors.js"

/** What a started sign-in keeps in the session until its callback. */
export interface Pending {
  readonly state: string
  readonly verifier: string
  readonly nonce?: string
}

/** The client side of one provider, as the token endpoint sees it. */
export interface CodeClient {
  readonly client: oauth.Client
  readonly auth: oauth.ClientAuth
  readonly redirectUri: string
  readonly http: oauth.TokenEndpointRequestOptions
}

interface RawSession {
  get(key: string): unknown
  set(key: string, value: unknown): void
  delete(key: string): void
}

const sessionOf = (c: Context) => c.session as unknown as RawSession

/** Builds the client of `options` (client_secret_post; http:// only when allowed). */
export function codeClient(options: {
  readonly clientId: string
  readonly clientSecret: string
  readonly redirectUri: string
  readonly allowHttp?: boolean
}): CodeClient {
  return {
    client: { client_id: options.clientId },
    auth: oauth.ClientSecretPost(options.clientSecret),
    redirectUri: options.redirectUri,
    http: options.allowHttp === true ? { [oauth.allowInsecureRequests]: true } : {},
  }
}

/**
 * Starts a sign-in: stores a fresh state, verifier (and nonce for OIDC) under `key`
 * and returns the provider's authorize URL for them.
 */
export async function startSignIn(
  c: Context,
  key: string,
  endpoint: string,
  cc: CodeClient,
  scopes: readonly string[],
  withNonce: boolean,
): Promise<{ url: string; pending: Pending }> {
  const pending: Pending = {
    state: oauth.generateRandomState(),
    verifier: oauth.generateRandomCodeVerifier(),
    ...(withNonce ? { nonce: oauth.generateRandomNonce() } : {}),
  }
  sessionOf(c).set(key, pending)
  const url = new URL(endpoint)
  url.searchParams.set("client_id", String(cc.client.client_id))
  url.searchParams.set("redirect_uri", cc.redirectUri)
  url.searchParams.set("response_type", "code")
  url.searchParams.set("scope", scopes.join(" "))
  url.searchParams.set("state", pending.state)
  if (pending.nonce !== undefined) url.searchParams.set("nonce", pending.nonce)
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(pending.verifier))
  url.searchParams.set("code_challenge_method", "S256")
  return { url: url.href, pending }
}

/**
 * Takes the pending sign-in out of the session (one use only) with the callback's
 * query; a missing or different `state` is refused.
 * @throws 400 TRUSS_ERR_AUTH_OIDC_STATE_MISMATCH
 */
export function takePending(
  c: Context,
  key: string,
): { pending: Pending; params: URLSearchParams } {
  const session = sessionOf(c)
  const pending = session.get(key) as Pending | undefined
  session.delete(key)
  const params = new URL(c.req.url).searchParams
  if (pending === undefined || params.get("state") !== pending.state) {
    throw oidcErrors.OIDC_STATE_MISMATCH()
  }
  return { pending, params }
}

/** Checks the callback's parameters and trades its code for tokens. */
export async function exchangeCode(
  as: oauth.AuthorizationServer,
  cc: CodeClient,
  params: URLSearchParams,
  pending: Pending,
  checks?: oauth.ProcessAuthorizationCodeResponseOptions,
): Promise<oauth.TokenEndpointResponse> {
  const checked = oauth.validateAuthResponse(as, cc.client, params, pending.state)
  const res = await oauth.authorizationCodeGrantRequest(
    as,
    cc.client,
    cc.auth,
    checked,
    cc.redirectUri,
    pending.verifier,
    cc.http,
  )
  return oauth.processAuthorizationCodeResponse(as, cc.client, res, checks)
}
