/**
 * The cache's CLI command, `truss cache clear`. Loaded by the `truss` CLI only when
 * it runs.
 * @module
 */
import type { Command } from "commander"
import { Redis } from "ioredis"
import pc from "picocolors"
import type { CliCommand, CliContext } from "../cli/index.js"
import { withProject } from "../cli/index.js"
import { cacheErrors } from "./errors.js"
import { databaseStore } from "./stores/database.js"
import { CacheEntry } from "./stores/database-model.js"
import { redisStore } from "./stores/redis.js"

interface Options {
  config?: string
  redis?: string
  prefix: string
}

function entries(n: number): string {
  return `${n} cache ${n === 1 ? "entry" : "entries"}`
}

async function clearRedis(ctx: CliContext, url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await client.connect()
    const removed = await redisStore({ client, prefix }).clear()
    ctx.out(`${pc.green("Cleared")} ${entries(removed)} from Redis under "${prefix}".`)
  } finally {
    client.disconnect()
  }
}

/** `truss cache clear`: empties the database cache table, or a Redis store's prefix. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command("cache")
    .description("the cache")
    .command("clear")
    .description("delete every cache entry: the truss_cache table, or a Redis prefix")
    .option("-c, --config <path>", "config file")
    .option("--redis <url>", "clear a Redis store instead, e.g. redis://127.0.0.1:6379")
    .option("--prefix <prefix>", "the Redis store's key prefix", "truss:cache:")
    .action(async function clear(opts: Options) {
      if (opts.redis !== undefined) return clearRedis(ctx, opts.redis, opts.prefix)
      await withProject(ctx, opts.config, async ({ config, db }) => {
        const table = CacheEntry.meta.table
        // Compared by table: the config may hold its own copy of the model.
        if (!config.models.some((m) => m.meta.table === table)) {
          throw cacheErrors.NOT_IN_MODELS({ table })
        }
        const removed = await databaseStore({ db, pruneEvery: 0 }).clear()
        ctx.out(`${pc.green("Cleared")} ${entries(removed)} from the ${table} table.`)
      })
    })
}

/** The cache's CLI commands: `cache clear`. */
export const commands: readonly CliCommand[] = [{ register }]
