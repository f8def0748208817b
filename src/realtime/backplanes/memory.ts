import { realtimeErrors } from "../errors.js"
import type { Backplane, BackplaneListener } from "./backplane.js"
import { Topics } from "./backplane.js"

/**
 * The in-process backplane, the default: broadcasts reach every `realtime()` sharing it in
 * this process. Delivery is asynchronous (a microtask later), as over a network.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { memoryBackplane, realtime } from "truss/realtime"
 * const backplane = memoryBackplane()
 * const a = realtime(new App(), { backplane })
 * const b = realtime(new App(), { backplane }) // a second "node" in the same process
 * ```
 */
export function memoryBackplane(): Backplane {
  const topics = new Topics()
  const reconnects: (() => void)[] = []
  let closed = false
  return {
    async publish(topic, payload) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      queueMicrotask(() => topics.emit(topic, payload, reportError))
    },
    async subscribe(topic: string, listener: BackplaneListener) {
      if (closed) throw realtimeErrors.BACKPLANE_CLOSED()
      topics.add(topic, listener)
      return async () => {
        topics.remove(topic, listener)
      }
    },
    onReconnect(listener) {
      reconnects.push(listener)
    },
    async close() {
      closed = true
      topics.clear()
    },
  }
}

function reportError(err: unknown): void {
  // realtime() catches its own listener errors; this is for listeners of your own.
  console.error("memoryBackplane: a listener threw", err)
}
