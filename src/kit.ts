/**
 * The core's one entry for batteries. `truss/orm`, `truss/sessions`, `truss/auth` and
 * the rest import the core only from here (a CI check, `scripts/check-deps.ts`, fails
 * the run otherwise), so the core can move its files without breaking them. It holds
 * the public core API plus the internals a battery needs: slots on the context, context
 * members, view locals, the shared resolved promise and the pooled CSPRNG.
 *
 * Batteries declare their own slots, context members and route options by augmenting
 * this module (`declare module "../kit.js" { interface Slots { … } interface Context
 * { … } }`) and install the members with `extendContext`; `src/sessions/context.ts` is
 * the model to follow, and docs/architecture.md explains the rules.
 * @internal
 * @module
 */
export { App, type RouteDescription } from "./app.js"
export { Blueprint } from "./blueprint.js"
export { DONE, type Handler, type Middleware, type Next } from "./compose.js"
export {
  APP,
  Context,
  type CookieOptions,
  type Reply,
  type ReplyTypes,
  type ResponseBody,
  type ResponseHeaders,
  type RouteInfo,
  SLOTS,
} from "./context.js"
export {
  defineError,
  type ErrorFactory,
  type ErrorOptions,
  errors,
  HttpError,
  TrussError,
} from "./errors.js"
export { defineViewLocal, extendContext, type Slots, slotsOf, viewLocals } from "./extend.js"
export { TrussRequest } from "./request.js"
export { escapeHtml } from "./response/error-page.js"
export { wantsHtml } from "./response/error-response.js"
export type { UrlParams, UrlQuery } from "./router/path.js"
export type { PathParams } from "./router/path-params.js"
export type { RouteOptions, RoutesOf, RouteType } from "./router/route-types.js"
export {
  acceptUpgrade,
  type Upgrade,
  type UpgradeHandler,
  upgradeListener,
} from "./server/upgrade.js"
export { randomString } from "./util/pooled-random.js"
export { type RedisStatus, redisCalls, redisUnreachable } from "./util/redis-calls.js"
export type { ValidationIssue } from "./validation/issues.js"
