/**
 * OpenID Connect login for `truss/auth`.
 * @internal
 * @module
 */
export { oidcErrors } from "./errors.js"
export { LinkedAccount, type LinkUsers, linkIdentity } from "./linked-account.js"
export {
  type OidcIdentity,
  type OidcProvider,
  type OidcProviderOptions,
  oidcProvider,
} from "./provider.js"
