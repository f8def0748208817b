/**
 * OpenID Connect and plain OAuth 2 login for `truss/auth`.
 * @internal
 * @module
 */
export { oidcErrors } from "./errors.js"
export { LinkedAccount, type LinkUsers, linkIdentity } from "./linked-account.js"
export { type OAuthLoginOptions, type OAuthLoginResult, oauthLogin } from "./login.js"
export { type OAuth2ProviderOptions, oauth2Provider } from "./oauth2.js"
export {
  type OidcIdentity,
  type OidcProvider,
  type OidcProviderOptions,
  oidcProvider,
} from "./provider.js"
export { type OAuthRoutesOptions, oauthRoutes } from "./routes.js"
