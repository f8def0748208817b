/**
 * `truss/schema`: the OpenAPI 3.1 document of an app's routes and a local Swagger UI.
 * Route validation itself lives in the core (`app.post(path, { body, response }, h)`);
 * this battery reads the route table.
 * @module
 */

export type { SchemaObject } from "./components.js"
export { type DocsOptions, docs } from "./docs.js"
export {
  type OpenApiDocument,
  type OpenApiOptions,
  openApiPaths,
  openapi,
  type RouteSource,
  VALIDATION_PROBLEM,
} from "./openapi.js"
