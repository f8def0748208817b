/**
 * `truss/client`: a typed client for a Truss app, typed from the app's routes
 * (`createClient<typeof app>(baseUrl)`), that runs over `fetch` or in-process.
 * @module
 */
export { buildPath, type ClientOptions, createClient, type InProcess } from "./client.js"
export { type GenerateOptions, generateClient, tsType } from "./generate.js"
export type {
  Client,
  ClientMethod,
  ClientResponse,
  ClientRoutes,
  HttpStatus,
  InputArgs,
  OtherResponse,
  PathsOf,
  ProblemDetails,
  RequestInput,
  ResponseOf,
  Typed,
} from "./types.js"
