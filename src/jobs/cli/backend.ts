import type { Command } from "commander"
import { type CliContext, withProject } from "../../cli/index.js"
import type { JobBackend } from "../backend.js"
import { bullmqBackend } from "../backends/bullmq/load.js"
import { DatabaseBackend } from "../backends/database/index.js"

/** The backend options every jobs command takes. */
export interface BackendFlags {
  config?: string
  redis?: string
  prefix: string
}

/** Adds `--config`, `--redis` and `--prefix`. */
export function backendFlags(cmd: Command): Command {
  return cmd
    .option("-c, --config <path>", "config file (the database backend uses its database)")
    .option("--redis <url>", "use the BullMQ backend on this Redis instead of the database")
    .option("--prefix <prefix>", "BullMQ key prefix", "truss")
}

/** Runs `fn` on the backend the flags name, closing what it opened. */
export async function withBackend<T>(
  ctx: CliContext,
  flags: BackendFlags,
  fn: (backend: JobBackend) => Promise<T>,
): Promise<T> {
  if (flags.redis === undefined)
    return withProject(ctx, flags.config, ({ db }) => fn(new DatabaseBackend(db)))
  const { Redis } = await import("ioredis")
  const redis = new Redis(flags.redis, { maxRetriesPerRequest: null })
  const backend = await bullmqBackend({ connection: redis, prefix: flags.prefix })
  try {
    return await fn(backend)
  } finally {
    await backend.close()
    await redis.quit()
  }
}
