/**
 * A TCP proxy between the app and a server (PostgreSQL here) that a test can cut and
 * restore: `cut()` resets every open connection and refuses new ones, as a server that
 * went away does; `restore()` forwards again.
 * @module
 */
import { connect, createServer, type Server, type Socket } from "node:net"

export class TcpProxy {
  readonly #open = new Set<Socket>()
  #cut = false
  /** Connections accepted, and refused while cut. */
  readonly stats = { accepted: 0, refused: 0 }

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static listen(target: { host: string; port: number }): Promise<TcpProxy> {
    return new Promise((resolve) => {
      let proxy: TcpProxy
      const server = createServer((client) => proxy.#accept(client, target))
      server.listen(0, "127.0.0.1", () => {
        proxy = new TcpProxy(server, (server.address() as { port: number }).port)
        resolve(proxy)
      })
    })
  }

  #accept(client: Socket, target: { host: string; port: number }): void {
    if (this.#cut) {
      this.stats.refused++
      client.resetAndDestroy()
      return
    }
    this.stats.accepted++
    const upstream = connect(target)
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#open.add(a)
      a.on("error", () => b.destroy())
      a.on("close", () => {
        this.#open.delete(a)
        b.destroy()
      })
      a.pipe(b)
    }
  }

  /** Resets every open connection and refuses new ones until {@link restore}. */
  cut(): void {
    this.#cut = true
    for (const s of this.#open) s.resetAndDestroy()
  }

  restore(): void {
    this.#cut = false
  }

  close(): Promise<void> {
    this.cut()
    return new Promise((r) => this.server.close(() => r()))
  }
}
