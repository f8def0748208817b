/**
 * The realtime client for browsers and Node (≥ 22, global `WebSocket`): subscribe to
 * channels with typed handlers, send messages, reconnect with backoff and resubscribe.
 * It imports nothing from the server side, so a bundler pulls in only this folder.
 * @module
 */
export {
  type ClientOptions,
  connect,
  type EventHandlers,
  RealtimeClient,
} from "./client.js"
