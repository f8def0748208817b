import { defineError } from "../kit.js"

/**
 * The error codes of `truss/realtime`; each is listed in docs/errors.md. Errors on an open
 * socket are sent as an error frame (`{ "event": "error", "data": { code, message } }`)
 * and the connection stays open; errors at the upgrade are HTTP responses.
 * @example
 * ```ts
 * import { realtimeErrors } from "truss/realtime"
 * const err = realtimeErrors.CHANNEL_FORBIDDEN({ channel: "rooms/1" })
 * err.status // 403
 * ```
 */
export const realtimeErrors = {
  ORIGIN_REFUSED: defineError(
    "TRUSS_ERR_REALTIME_ORIGIN_REFUSED",
    (p: { origin: string }) =>
      `The Origin ${p.origin} is not allowed to open this socket: add it to realtime(app, { origins: [...] }) or to the route's origins option.`,
    403,
  ),
  UPGRADE_REQUIRED: defineError(
    "TRUSS_ERR_REALTIME_UPGRADE_REQUIRED",
    "This is a WebSocket route: connect with a WebSocket client (WebSocket needs app.listen(); app.fetch() serves only the SSE routes).",
    426,
  ),
  MALFORMED_MESSAGE: defineError(
    "TRUSS_ERR_REALTIME_MALFORMED_MESSAGE",
    "The message is not a JSON text frame: send JSON.stringify(value) as text.",
    400,
  ),
  INVALID_MESSAGE: defineError(
    "TRUSS_ERR_REALTIME_INVALID_MESSAGE",
    "The message does not match the route's message schema; extensions.issues says where.",
    422,
  ),
  RATE_LIMITED: defineError(
    "TRUSS_ERR_REALTIME_RATE_LIMITED",
    (p: { limit: number; interval: number }) =>
      `More than ${p.limit} messages in ${p.interval} ms: messages are dropped until the window passes. Send less often, or raise rateLimit.`,
    429,
  ),
  CHANNEL_UNKNOWN: defineError(
    "TRUSS_ERR_REALTIME_CHANNEL_UNKNOWN",
    (p: { channel: string }) =>
      `No channel matches "${p.channel}": declare it with rt.channel(pattern, { authorize }).`,
    404,
  ),
  CHANNEL_FORBIDDEN: defineError(
    "TRUSS_ERR_REALTIME_CHANNEL_FORBIDDEN",
    (p: { channel: string }) => `You may not join the channel "${p.channel}".`,
    403,
  ),
  CHANNEL_LIMIT: defineError(
    "TRUSS_ERR_REALTIME_CHANNEL_LIMIT",
    (p: { limit: number }) =>
      `This socket is already in ${p.limit} channels: leave one first, or raise maxChannels.`,
    429,
  ),
  HANDLER_FAILED: defineError(
    "TRUSS_ERR_REALTIME_HANDLER_FAILED",
    "The message handler failed; the error is in the server log.",
    500,
  ),
  BAD_OPTION: defineError(
    "TRUSS_ERR_REALTIME_BAD_OPTION",
    (p: { option: string; value: string; expected: string }) =>
      `The realtime option ${p.option} is ${p.value}; pass ${p.expected}.`,
    500,
  ),
  BACKPLANE_UNAVAILABLE: defineError(
    "TRUSS_ERR_REALTIME_BACKPLANE_UNAVAILABLE",
    (p: { backplane: string }) =>
      `The ${p.backplane} backplane is disconnected: this broadcast reached only this process's sockets. It reconnects by itself; check that the server is up.`,
    503,
  ),
  BACKPLANE_CLOSED: defineError(
    "TRUSS_ERR_REALTIME_BACKPLANE_CLOSED",
    "The backplane is closed: create a new one, or publish before rt.close().",
    500,
  ),
} as const
