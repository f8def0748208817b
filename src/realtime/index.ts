/**
 * `truss/realtime`: WebSocket and Server-Sent Events routes, channels with an
 * `authorize(c, params)` hook, cluster-wide presence, and broadcasts across processes
 * over a backplane (memory, Redis pub/sub, PostgreSQL LISTEN/NOTIFY). Built on `ws`;
 * WebSocket routes need `app.listen()`, SSE routes also work through `app.fetch()`.
 * The client (`connect`) is also its own entry, `src/realtime/client/index.ts`, which
 * imports nothing from the server side.
 * @module
 */
export type { Backplane, BackplaneListener } from "./backplanes/backplane.js"
export { memoryBackplane } from "./backplanes/memory.js"
export { type PostgresBackplaneOptions, postgresBackplane } from "./backplanes/postgres.js"
export { type RedisBackplaneOptions, redisBackplane } from "./backplanes/redis.js"
export type {
  ChannelName,
  ChannelOptions,
  ChannelParams,
  ChannelTypes,
  EventsFor,
} from "./channels.js"
export {
  type ClientOptions,
  connect,
  type EventHandlers,
  RealtimeClient,
} from "./client/index.js"
export { realtimeErrors } from "./errors.js"
export type { OriginPolicy, RealtimeOptions, SocketLimits } from "./options.js"
export type { PresenceEntry } from "./presence.js"
export { Realtime, realtime } from "./realtime.js"
export { RealtimeSocket } from "./socket.js"
export type { SseOptions } from "./sse.js"
export type { MessageOf, WsHandlers, WsRouteOptions } from "./ws-route.js"
