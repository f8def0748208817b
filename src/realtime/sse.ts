import { type Context, type Middleware, randomString } from "../kit.js"
import type { Delivery } from "./history.js"
import type { Member } from "./hub.js"
import { SseMember } from "./sse-member.js"

/**
 * Options of an SSE route: which channels a request streams, and route middleware.
 * @example
 * ```ts
 * import type { SseOptions } from "truss/realtime"
 * const options: SseOptions<{ id: string }> = { channels: (c) => [`rooms/${c.params.id}`], maxQueue: 500 }
 * ```
 */
export interface SseOptions<P extends object> {
  /** The channels to stream; each is authorized like a socket's join (403 when refused). */
  channels: (c: Context & { params: P }) => readonly string[] | Promise<readonly string[]>
  /** Route middleware, run before the stream opens. */
  middleware?: readonly Middleware[]
  /** A route name, for `app.url()`. */
  name?: string
  /** Broadcasts queued for a slow reader before new ones are dropped. @default 1000 */
  maxQueue?: number
  /** Send a `: ping` comment this often (ms) so proxies keep an idle stream open; 0 is off. @default 25000 */
  keepAlive?: number
}

/** What the SSE route needs from its `Realtime`. @internal */
export interface SseHost {
  join(member: Member, channel: string, c: Context): Promise<void>
  leave(member: Member, channel: string): void
  since(channel: string, lastId: string): Delivery[]
  user(c: Context): string | undefined
  addUser(member: Member): Promise<void>
  removeUser(member: Member): void
}

/** The handler of an SSE route. @internal */
export function sseHandler(
  options: SseOptions<object>,
  host: SseHost,
): (c: Context) => Promise<Context> {
  const maxQueue = options.maxQueue ?? 1000
  const keepAlive = options.keepAlive ?? 25_000
  return async function streamChannels(c) {
    const names = [...new Set(await options.channels(c as Context & { params: object }))]
    const joined: string[] = []
    let timer: NodeJS.Timeout | undefined
    const member: SseMember = new SseMember(
      randomString(9, "base64url"),
      host.user(c),
      maxQueue,
      () => {
        clearInterval(timer)
        for (const ch of joined) host.leave(member, ch)
        host.removeUser(member)
      },
    )
    member.push(": connected\n\n")
    try {
      for (const ch of names) {
        await host.join(member, ch, c)
        joined.push(ch)
      }
      await host.addUser(member)
    } catch (err) {
      member.end()
      throw err
    }
    // Resume: what this process kept of each channel after the client's last event.
    const last = c.req.header("last-event-id") ?? c.req.query.get("lastEventId") ?? undefined
    if (last !== undefined)
      for (const ch of names) for (const d of host.since(ch, last)) member.deliver(d)
    c.req.signal.addEventListener("abort", () => member.end(), { once: true })
    if (keepAlive > 0) {
      timer = setInterval(() => member.push(": ping\n\n"), keepAlive)
      timer.unref()
    }
    c.header("content-type", "text/event-stream; charset=utf-8")
    c.header("cache-control", "no-cache")
    c.header("x-accel-buffering", "no")
    c.body = member
    return c
  }
}
