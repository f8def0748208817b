import type { ResolvedLimits } from "./options.js"
import type { RealtimeSocket } from "./socket.js"

/**
 * The open sockets of one `Realtime`: one timer for all of them (heartbeat pings, cutting
 * sockets that missed a pong, idle timeouts) and the 1001 shutdown. @internal
 */
export class Sockets {
  readonly #all = new Set<RealtimeSocket>()
  #timer: NodeJS.Timeout | undefined
  #tick = Number.POSITIVE_INFINITY
  #closing: Promise<void> | undefined

  get size(): number {
    return this.#all.size
  }

  /** True once shutdown began: new sockets are refused. */
  get closing(): boolean {
    return this.#closing !== undefined
  }

  add(socket: RealtimeSocket): void {
    this.#all.add(socket)
  }

  delete(socket: RealtimeSocket): void {
    this.#all.delete(socket)
  }

  /** Ticks at half the shortest heartbeat or idle timeout any route asked for. */
  watch(limits: ResolvedLimits): void {
    const { heartbeat, idleTimeout } = limits
    const tick = Math.max(10, Math.min(heartbeat, idleTimeout || heartbeat) / 2)
    if (tick >= this.#tick) return
    this.#tick = tick
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = setInterval(() => this.#sweep(), tick)
    this.#timer.unref()
  }

  /**
   * Closes every socket with 1001 once what is queued for it is written (ws sends the
   * close frame after queued data); cuts the ones still open after `timeout` ms.
   */
  shutdown(timeout: number): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      if (this.#timer) clearInterval(this.#timer)
      const sockets = [...this.#all]
      if (sockets.length === 0) return resolve()
      let open = sockets.length
      const timer = setTimeout(() => {
        for (const s of sockets) s.raw.terminate()
      }, timeout)
      timer.unref()
      for (const s of sockets) {
        s.raw.once("close", () => {
          if (--open > 0) return
          clearTimeout(timer)
          resolve()
        })
        s.close(1001, "server shutting down")
      }
    })
    return this.#closing
  }

  #sweep(): void {
    const now = Date.now()
    for (const s of this.#all) {
      const { idleTimeout, heartbeat } = s.limits
      if (idleTimeout > 0 && now - s.lastSeen > idleTimeout) {
        s.close(1000, "idle timeout")
        continue
      }
      if (now - s.lastPing < heartbeat) continue
      if (!s.alive) {
        s.raw.terminate()
        continue
      }
      s.alive = false
      s.lastPing = now
      s.raw.ping()
    }
  }
}
