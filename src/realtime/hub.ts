import type { Logger } from "pino"
import type { Backplane } from "./backplanes/backplane.js"
import { type Delivery, delivery, History } from "./history.js"

/** Something that receives broadcasts: a WebSocket or an SSE stream. @internal */
export interface Member {
  readonly id: string
  readonly user: string | undefined
  deliver(d: Delivery): void
}

/** What travels on the backplane for a broadcast. */
interface Wire {
  /** The process that published it. */
  n: string
  c?: string
  u?: string
  e: string
  d: unknown
  i?: string
  x?: string
}

type Stop = () => Promise<void>

const MAX_HISTORIES = 10_000

/**
 * Local members by channel and by user, and the backplane subscriptions they need: a
 * process listens to a channel's topic only while one of its members is in it. @internal
 */
export class Hub {
  readonly node: string
  readonly #backplane: Backplane
  readonly #log: Logger
  readonly #channels = new Map<string, Set<Member>>()
  readonly #users = new Map<string, Set<Member>>()
  readonly #subs = new Map<string, Promise<Stop | undefined>>()
  readonly #histories = new Map<string, History>()
  readonly #historySize: (channel: string) => number
  #seq = 0
  #warned = false

  constructor(
    node: string,
    backplane: Backplane,
    log: Logger,
    historySize: (channel: string) => number,
  ) {
    this.node = node
    this.#backplane = backplane
    this.#log = log
    this.#historySize = historySize
  }

  /** Members of `channel` in this process. */
  members(channel: string): ReadonlySet<Member> {
    return this.#channels.get(channel) ?? new Set()
  }

  /** Adds `member` to `channel`; resolves once this process hears the channel's broadcasts. */
  async join(member: Member, channel: string): Promise<void> {
    this.#add(this.#channels, channel, member)
    await this.#listen(`c:${channel}`)
  }

  leave(member: Member, channel: string): void {
    if (this.#remove(this.#channels, channel, member)) this.#unlisten(`c:${channel}`)
  }

  async addUser(member: Member): Promise<void> {
    if (member.user === undefined) return
    this.#add(this.#users, member.user, member)
    await this.#listen(`u:${member.user}`)
  }

  removeUser(member: Member): void {
    if (member.user === undefined) return
    if (this.#remove(this.#users, member.user, member)) this.#unlisten(`u:${member.user}`)
  }

  /** Broadcasts to `channel` in every process; `except` is a member id to skip. */
  publish(channel: string, event: string, data: unknown, except?: string): Promise<void> {
    const id = `${this.node}-${++this.#seq}`
    const d = delivery(channel, event, data, id)
    this.#historyOf(channel).push(d)
    this.#fanOut(this.#channels.get(channel), d, except)
    const wire: Wire = { n: this.node, c: channel, e: event, d: data, i: id }
    if (except !== undefined) wire.x = except
    return this.#send(`c:${channel}`, wire)
  }

  /** Sends to every connection of `user`, in every process. */
  toUser(user: string, event: string, data: unknown): Promise<void> {
    this.#fanOut(this.#users.get(user), delivery(undefined, event, data, undefined), undefined)
    return this.#send(`u:${user}`, { n: this.node, u: user, e: event, d: data })
  }

  /** Delivers to this process's members of `channel` only (presence events). */
  local(channel: string, event: string, data: unknown): void {
    this.#fanOut(this.#channels.get(channel), delivery(channel, event, data, undefined), undefined)
  }

  /** The history of `channel` after the broadcast `lastId`. */
  since(channel: string, lastId: string): Delivery[] {
    return this.#histories.get(channel)?.after(lastId) ?? []
  }

  /** The backplane is back: warn again on the next failure. */
  reconnected(): void {
    this.#warned = false
  }

  async close(): Promise<void> {
    const subs = [...this.#subs.values()]
    this.#subs.clear()
    for (const sub of subs) await (await sub)?.()
  }

  #historyOf(channel: string): History {
    let h = this.#histories.get(channel)
    if (h === undefined) {
      h = new History(this.#historySize(channel))
      this.#histories.set(channel, h)
      // Bounded: the oldest channel's history goes first.
      if (this.#histories.size > MAX_HISTORIES) {
        const oldest = this.#histories.keys().next().value
        if (oldest !== undefined) this.#histories.delete(oldest)
      }
    }
    return h
  }

  #fanOut(members: Set<Member> | undefined, d: Delivery, except: string | undefined): void {
    if (members === undefined) return
    for (const m of members) if (m.id !== except) m.deliver(d)
  }

  async #send(topic: string, wire: Wire): Promise<void> {
    try {
      await this.#backplane.publish(topic, JSON.stringify(wire))
    } catch (err) {
      if (this.#warned) return
      this.#warned = true
      this.#log.warn({ err }, "realtime: a broadcast reached this process only (backplane down)")
    }
  }

  #receive = (payload: string): void => {
    let wire: Wire
    try {
      wire = JSON.parse(payload) as Wire
    } catch (err) {
      this.#log.error({ err }, "realtime: unreadable backplane message")
      return
    }
    if (wire.n === this.node) return
    if (wire.c !== undefined) {
      const d = delivery(wire.c, wire.e, wire.d, wire.i)
      this.#historyOf(wire.c).push(d)
      this.#fanOut(this.#channels.get(wire.c), d, wire.x)
    } else if (wire.u !== undefined) {
      this.#fanOut(
        this.#users.get(wire.u),
        delivery(undefined, wire.e, wire.d, undefined),
        undefined,
      )
    }
  }

  async #listen(topic: string): Promise<void> {
    let sub = this.#subs.get(topic)
    if (sub === undefined) {
      // A listener of its own per subscription: an unsubscribe still in flight must not
      // remove the listener of a newer subscription to the same topic.
      sub = this.#backplane
        .subscribe(topic, (p) => this.#receive(p))
        .catch((err: unknown) => {
          this.#log.error({ err, topic }, "realtime: subscribing on the backplane failed")
          this.#subs.delete(topic)
          return undefined
        })
      this.#subs.set(topic, sub)
    }
    await sub
  }

  #unlisten(topic: string): void {
    const sub = this.#subs.get(topic)
    if (sub === undefined) return
    this.#subs.delete(topic)
    sub
      .then((stop) => stop?.())
      .catch((err: unknown) => this.#log.error({ err, topic }, "realtime: unsubscribing failed"))
  }

  #add(map: Map<string, Set<Member>>, key: string, member: Member): boolean {
    let set = map.get(key)
    if (set === undefined) {
      set = new Set()
      map.set(key, set)
    }
    const before = set.size
    set.add(member)
    return before === 0 && set.size === 1
  }

  #remove(map: Map<string, Set<Member>>, key: string, member: Member): boolean {
    const set = map.get(key)
    if (set === undefined || !set.delete(member)) return false
    if (set.size > 0) return false
    map.delete(key)
    return true
  }
}
