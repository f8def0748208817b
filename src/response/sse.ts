/**
 * One Server-Sent Events message. Objects in `data` are sent as JSON.
 * @example
 * ```ts
 * import type { SseMessage } from "truss"
 * const message: SseMessage = { event: "price", id: "42", data: { symbol: "ACME", price: 12.5 } }
 * ```
 */
export interface SseMessage {
  data: unknown
  event?: string
  id?: string
  /** Reconnection delay for the client, in milliseconds. */
  retry?: number
}

const NEWLINES = /\r\n|\r|\n/

function line(field: string, value: string): string {
  if (NEWLINES.test(value)) throw new TypeError(`SSE ${field} must not contain a newline`)
  return `${field}: ${value}\n`
}

/** Encodes one message in the `text/event-stream` format. */
export function encodeSse(message: SseMessage | string): string {
  if (typeof message === "string") message = { data: message }
  let out = ""
  if (message.event !== undefined) out += line("event", message.event)
  if (message.id !== undefined) out += line("id", message.id)
  if (message.retry !== undefined) out += `retry: ${Math.trunc(message.retry)}\n`
  const data = typeof message.data === "string" ? message.data : JSON.stringify(message.data)
  for (const part of data.split(NEWLINES)) out += `data: ${part}\n`
  return `${out}\n`
}

/** Maps a source of messages to encoded chunks; the source is closed on disconnect. */
export async function* formatSse(
  source: AsyncIterable<SseMessage | string>,
): AsyncGenerator<string, void, undefined> {
  for await (const message of source) yield encodeSse(message)
}
