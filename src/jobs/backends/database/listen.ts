import type { Client } from "pg"
import { CHANNEL } from "./sql.js"

/**
 * LISTENs on the jobs channel over a connection of its own (a pooled one would be
 * handed to other queries). A dropped connection is reopened after a second; the
 * worker keeps polling meanwhile, so nothing is lost, only woken later.
 */
export async function listen(
  url: string,
  wake: (queue: string) => void,
): Promise<() => Promise<void>> {
  const { default: pg } = await import("pg")
  let client: Client | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined
  const reopen = (): void => {
    if (!closed) retry = setTimeout(() => open().catch(reopen), 1000)
  }
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url })
    c.on("notification", (n) => wake(n.payload ?? ""))
    c.on("error", () => {
      c.end().catch(() => {})
      reopen()
    })
    await c.connect()
    await c.query(`LISTEN ${CHANNEL}`)
    client = c
  }
  await open()
  return async () => {
    closed = true
    clearTimeout(retry)
    await client?.end()
  }
}
