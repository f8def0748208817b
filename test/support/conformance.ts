import { randomUUID } from "node:crypto"
import { Redis } from "ioredis"
import { afterAll } from "vitest"
import type { Database } from "../../src/orm/index.js"
import { testDatabases } from "./databases.js"
import { hasService, SERVICES } from "./services.js"

/** One isolated database a store can live in. */
export interface DatabaseTarget {
  readonly name: string
  readonly db: Database
}

/** What a conformance suite runs each implementation of an interface on. */
export interface ConformanceTargets {
  /** A Redis client when Redis is up (TRUSS_REQUIRE_SERVICES=1 makes it required). */
  readonly redis: Redis | undefined
  /** Every test database that is up, each in its own schema or database. */
  readonly databases: readonly DatabaseTarget[]
  /** A key prefix no other suite (or run) uses, e.g. `truss:test:3f2a…:sessions:`. */
  prefix(name: string): string
}

/**
 * Opens the shared services for one test file and closes them after it: the one
 * harness every store, backend and transport conformance suite is built on.
 * @param options - `databases: false` when the interface has no database implementation.
 */
export async function conformanceTargets(
  options: { databases?: boolean } = {},
): Promise<ConformanceTargets> {
  const redis = (await hasService("redis")) ? new Redis(SERVICES.redis.url) : undefined
  const databases: (DatabaseTarget & { drop(): Promise<void> })[] = []
  if (options.databases ?? true) {
    for (const t of await testDatabases()) {
      if (t.available) databases.push({ name: t.name, ...(await t.open()) })
    }
  }
  afterAll(async () => {
    await redis?.quit()
    for (const d of databases) await d.drop()
  })
  const run = randomUUID().slice(0, 8)
  return { redis, databases, prefix: (name) => `truss:test:${run}:${name}:` }
}
