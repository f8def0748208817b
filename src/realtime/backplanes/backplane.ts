/**
 * The pub/sub contract under `truss/realtime`: what carries broadcasts and presence
 * between processes. Delivery is at-most-once: a message published while a backplane is
 * disconnected is not delivered to other processes (it still reaches the publishing
 * process's own sockets).
 * @module
 */

/**
 * Receives the payloads published on a topic.
 * @example
 * ```ts
 * import type { BackplaneListener } from "truss/realtime"
 * const log: BackplaneListener = (payload) => console.log(payload.length)
 * ```
 */
export type BackplaneListener = (payload: string) => void

/**
 * A pub/sub transport between processes: memory (one process), Redis or PostgreSQL.
 * Implement four methods to add another; `test/support/realtime-conformance.ts` is the
 * suite it must pass.
 * @example
 * ```ts
 * import { type Backplane, memoryBackplane } from "truss/realtime"
 * const bp: Backplane = memoryBackplane()
 * const stop = await bp.subscribe("news", (payload) => console.log(payload))
 * await bp.publish("news", "hello")
 * await stop()
 * await bp.close()
 * ```
 */
export interface Backplane {
  /** Sends `payload` to every subscriber of `topic`, in every process. */
  publish(topic: string, payload: string): Promise<void>
  /** Listens to `topic`; resolves once subscribed, with the function that stops listening. */
  subscribe(topic: string, listener: BackplaneListener): Promise<() => Promise<void>>
  /**
   * Registers a function called after the backplane reconnected and resubscribed
   * following an outage (Redis restart, PostgreSQL failover): presence resyncs there.
   */
  onReconnect(listener: () => void): void
  /** Stops listening and releases connections the backplane opened itself. */
  close(): Promise<void>
}

/** Keeps per-topic listener sets; backplanes use it to fan a topic out in-process. @internal */
export class Topics {
  readonly #byTopic = new Map<string, Set<BackplaneListener>>()

  /** Adds a listener; true when it is the topic's first. */
  add(topic: string, listener: BackplaneListener): boolean {
    let set = this.#byTopic.get(topic)
    const first = set === undefined
    if (set === undefined) {
      set = new Set()
      this.#byTopic.set(topic, set)
    }
    set.add(listener)
    return first
  }

  /** Removes a listener; true when the topic has no listener left. */
  remove(topic: string, listener: BackplaneListener): boolean {
    const set = this.#byTopic.get(topic)
    if (set === undefined) return false
    set.delete(listener)
    if (set.size > 0) return false
    this.#byTopic.delete(topic)
    return true
  }

  /** Calls every listener of `topic`; one that throws does not stop the others. */
  emit(topic: string, payload: string, onError: (err: unknown) => void): void {
    const set = this.#byTopic.get(topic)
    if (set === undefined) return
    for (const listener of set) {
      try {
        listener(payload)
      } catch (err) {
        onError(err)
      }
    }
  }

  /** Every topic with a listener. */
  topics(): string[] {
    return [...this.#byTopic.keys()]
  }

  clear(): void {
    this.#byTopic.clear()
  }
}
