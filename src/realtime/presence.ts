import type { Logger } from "pino"
import type { Backplane } from "./backplanes/backplane.js"
import type { Hub } from "./hub.js"

/**
 * One connection present in a channel.
 * @example
 * ```ts
 * import type { PresenceEntry } from "truss/realtime"
 * const entry: PresenceEntry = { id: "k3f9", user: "ada", meta: { name: "Ada" } }
 * ```
 */
export interface PresenceEntry {
  /** The connection's id. */
  readonly id: string
  /** The connection's user, when `realtime({ user })` names one. */
  readonly user: string | undefined
  /** What the channel's presence shows of it. */
  readonly meta: unknown
}

interface Held extends PresenceEntry {
  readonly channel: string
}

type Op =
  | { op: "join" | "leave"; n: string; e: Held }
  | { op: "beat"; n: string }
  | { op: "sync"; n: string }
  | { op: "state"; n: string; to?: string; entries: Held[] }

interface Node {
  seen: number
  readonly entries: Map<string, Held>
}

/**
 * Cluster-wide presence over the backplane's `presence` topic, with no shared storage:
 * each process announces its own entries (join, leave) and a heartbeat; a process that
 * starts or reconnects asks for everyone's state; a process silent for `ttl` ms drops out
 * and its entries leave. @internal
 */
export class Presence {
  readonly #node: string
  readonly #backplane: Backplane
  readonly #hub: Hub
  readonly #log: Logger
  readonly #ttl: number
  readonly #mine = new Map<string, Held>()
  readonly #others = new Map<string, Node>()
  readonly #timer: NodeJS.Timeout
  #stop: (() => Promise<void>) | undefined
  readonly ready: Promise<void>

  constructor(hub: Hub, backplane: Backplane, log: Logger, interval: number, ttl: number) {
    this.#node = hub.node
    this.#hub = hub
    this.#backplane = backplane
    this.#log = log
    this.#ttl = ttl
    this.ready = backplane
      .subscribe("presence", (p) => this.#receive(p))
      .then(
        (stop) => {
          this.#stop = stop
          this.#send({ op: "sync", n: this.#node })
        },
        (err: unknown) => this.#log.error({ err }, "realtime: presence could not subscribe"),
      )
    backplane.onReconnect(() => {
      this.#send({ op: "sync", n: this.#node })
      this.#sendState(undefined)
    })
    this.#timer = setInterval(() => this.#beat(), interval)
    this.#timer.unref()
  }

  /** Everyone in `channel`, in every live process. */
  list(channel: string): PresenceEntry[] {
    const out: PresenceEntry[] = []
    for (const e of this.#mine.values()) if (e.channel === channel) out.push(view(e))
    for (const node of this.#others.values()) {
      for (const e of node.entries.values()) if (e.channel === channel) out.push(view(e))
    }
    return out
  }

  join(channel: string, entry: PresenceEntry): void {
    const held: Held = { channel, ...entry }
    this.#mine.set(key(channel, entry.id), held)
    this.#hub.local(channel, "presence:join", view(held))
    this.#send({ op: "join", n: this.#node, e: held })
  }

  leave(channel: string, id: string): void {
    const held = this.#mine.get(key(channel, id))
    if (held === undefined) return
    this.#mine.delete(key(channel, id))
    this.#hub.local(channel, "presence:leave", view(held))
    this.#send({ op: "leave", n: this.#node, e: held })
  }

  async close(): Promise<void> {
    clearInterval(this.#timer)
    await this.ready
    await this.#stop?.()
  }

  #beat(): void {
    this.#send({ op: "beat", n: this.#node })
    const now = Date.now()
    for (const [id, node] of this.#others) {
      if (now - node.seen <= this.#ttl) continue
      this.#others.delete(id)
      for (const e of node.entries.values()) this.#hub.local(e.channel, "presence:leave", view(e))
    }
  }

  #sendState(to: string | undefined): void {
    const state: Op = { op: "state", n: this.#node, entries: [...this.#mine.values()] }
    if (to !== undefined) state.to = to
    this.#send(state)
  }

  #send(op: Op): void {
    this.#backplane.publish("presence", JSON.stringify(op)).catch(() => {
      // The hub warns about a down backplane; presence resyncs on reconnect.
    })
  }

  #receive(payload: string): void {
    let op: Op
    try {
      op = JSON.parse(payload) as Op
    } catch (err) {
      this.#log.error({ err }, "realtime: unreadable presence message")
      return
    }
    if (op.n === this.#node) return
    const node = this.#nodeOf(op.n)
    if (op.op === "sync") this.#sendState(op.n)
    else if (op.op === "join") this.#set(node, op.e)
    else if (op.op === "leave") this.#unset(node, op.e)
    else if (op.op === "state" && (op.to === undefined || op.to === this.#node))
      this.#replace(node, op.entries)
  }

  #nodeOf(id: string): Node {
    let node = this.#others.get(id)
    if (node === undefined) {
      node = { seen: 0, entries: new Map() }
      this.#others.set(id, node)
    }
    node.seen = Date.now()
    return node
  }

  #set(node: Node, e: Held): void {
    const k = key(e.channel, e.id)
    if (!node.entries.has(k)) this.#hub.local(e.channel, "presence:join", view(e))
    node.entries.set(k, e)
  }

  #unset(node: Node, e: Held): void {
    if (node.entries.delete(key(e.channel, e.id)))
      this.#hub.local(e.channel, "presence:leave", view(e))
  }

  #replace(node: Node, entries: Held[]): void {
    const next = new Map(entries.map((e) => [key(e.channel, e.id), e]))
    for (const [k, e] of node.entries) if (!next.has(k)) this.#unset(node, e)
    for (const e of next.values()) this.#set(node, e)
  }
}

function key(channel: string, id: string): string {
  return `${channel}\n${id}`
}

function view(e: Held): PresenceEntry {
  return { id: e.id, user: e.user, meta: e.meta }
}
