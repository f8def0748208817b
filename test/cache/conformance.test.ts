import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll } from "vitest"
import { memoryStore, redisStore } from "../../src/cache/index.js"
import { cacheConformance } from "../support/cache-conformance.js"
import { hasService, SERVICES } from "../support/services.js"

cacheConformance("memory", () => memoryStore())

if (await hasService("redis")) {
  const client = new Redis(SERVICES.redis.url)
  afterAll(() => client.quit())
  cacheConformance("redis", () => redisStore({ client, prefix: `test:cache:${randomUUID()}:` }))
}
