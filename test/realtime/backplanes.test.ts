import { randomBytes } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll } from "vitest"
import {
  type Backplane,
  memoryBackplane,
  postgresBackplane,
  redisBackplane,
} from "../../src/realtime/index.js"
import { realtimeConformance } from "../support/realtime-conformance.js"
import { hasService, SERVICES } from "../support/services.js"

// One memory hub; each "process" is a view of it whose close() drops only its own
// subscriptions, so a node can die while the others go on.
realtimeConformance("memory", () => {
  const shared = memoryBackplane()
  return {
    connect(): Backplane {
      const stops: (() => Promise<void>)[] = []
      let closed = false
      return {
        publish: (topic, payload) =>
          closed ? Promise.reject(new Error("closed")) : shared.publish(topic, payload),
        async subscribe(topic, listener) {
          const stop = await shared.subscribe(topic, listener)
          stops.push(stop)
          return stop
        },
        onReconnect: (fn) => shared.onReconnect(fn),
        async close() {
          closed = true
          for (const stop of stops.splice(0)) await stop()
        },
      }
    },
  }
})

if (await hasService("redis")) {
  const client = new Redis(SERVICES.redis.url)
  afterAll(() => client.quit())
  realtimeConformance("redis", () => {
    const prefix = `truss:test:rt:${randomBytes(4).toString("hex")}:`
    return { connect: () => redisBackplane({ client: new Redis(SERVICES.redis.url), prefix }) }
  })
}

if (await hasService("postgres")) {
  realtimeConformance("postgres", () => {
    const channel = `truss_rt_${randomBytes(4).toString("hex")}`
    return {
      connect: () => postgresBackplane({ connectionString: SERVICES.postgres.url, channel }),
    }
  })
}
