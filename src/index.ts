/**
 * Truss core: the app, blueprints, context, middleware, router, errors and servers.
 * Batteries live under their own subpaths (`truss/testing`, …); this entry imports none.
 * @module
 */
export { App, type AppOptions, type RouteDescription } from "./app.js"
export { Blueprint, type BlueprintOptions } from "./blueprint.js"
export type { BodyLimits } from "./body/limits.js"
export type { FieldPart, FilePart, Part } from "./body/multipart.js"
export type { Handler, Middleware, Next } from "./compose.js"
export {
  Context,
  type CookieOptions,
  type Reply,
  type ReplyTypes,
  type ResponseBody,
  type ResponseHeaders,
  type RouteInfo,
  type Variables,
} from "./context.js"
export {
  defineError,
  type ErrorFactory,
  type ErrorOptions,
  errorCodes,
  errors,
  HttpError,
  TrussError,
} from "./errors.js"
export type { LoggerOption, LoggerOptions } from "./logging/logger.js"
export { type CompressOptions, compress, type Encoding } from "./middleware/compress/index.js"
export { type ServeStaticOptions, serveStatic } from "./middleware/static/index.js"
export { TrussRequest } from "./request.js"
export { escapeHtml } from "./response/error-page.js"
export { type SendFileOptions, sendFile } from "./response/send-file.js"
export type { SseMessage } from "./response/sse.js"
export type { UrlParams, UrlQuery } from "./router/path.js"
export type { PathParams } from "./router/path-params.js"
export type {
  InputsOf,
  Prefixed,
  RoutesOf,
  RouteTable,
  RouteType,
  WithBlueprint,
  WithRoute,
} from "./router/route-types.js"
export type { Params, RouteMatch, Router } from "./router/router.js"
export type { ErrorHandler, ErrorMatch, RouteChain, RouteOptions } from "./scope.js"
export type { ListenOptions, TrussServer } from "./server/listen.js"
export type { TrustProxyOption } from "./server/trust-proxy.js"
export type { FetchInfo } from "./server/web-request.js"
export type { InputKey, ValidationIssue } from "./validation/issues.js"

// Checked when `truss` is first imported: on an older Node.js an app dies later with a bare
// `Segmentation fault` from the native SQLite driver. (The `truss` CLI checks in cli/bin.ts.)
const NODE_MAJOR = Number(process.versions.node.split(".")[0])
if (NODE_MAJOR < 22) {
  throw Object.assign(
    new Error(
      `Truss needs Node.js >= 22; this is Node.js ${process.versions.node}. Run \`npm install\` in your project (it puts node@24 in node_modules/.bin, used by npm scripts and npx) or \`nvm install 24\`.`,
    ),
    { code: "TRUSS_ERR_NODE_VERSION" },
  )
}
