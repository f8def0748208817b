/**
 * Test helpers for Truss apps: an in-process client with a cookie jar.
 * @module
 */
export {
  type ClientOptions,
  createClient,
  type FormValues,
  type RequestTarget,
  TestClient,
} from "./client.js"
export { type TestFrame, TestSocket, UpgradeRefused } from "./ws.js"
