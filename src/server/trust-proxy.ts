import { lazyRequire } from "../util/lazy.js"

// Loaded only when an app sets `trustProxy` to addresses.
const proxyAddr = lazyRequire<typeof import("proxy-addr")>("proxy-addr")

/**
 * Which proxies to believe about the client: `false` (default, use the socket peer),
 * `true` (trust every hop), a hop count, or addresses/CIDRs/`"loopback"` etc.
 * @example
 * ```ts
 * import { App } from "truss"
 * const app = new App({ trustProxy: ["loopback", "10.0.0.0/8"] })
 * ```
 */
export type TrustProxyOption = boolean | number | string | string[]

interface Addressable {
  remoteAddress: string | undefined
  header(name: string): string | undefined
}

/** Compiled `trustProxy` setting. */
export class TrustProxy {
  #trust: (addr: string, i: number) => boolean

  constructor(option: Exclude<TrustProxyOption, false>) {
    if (option === true) this.#trust = () => true
    else if (typeof option === "number") this.#trust = (_addr, i) => i < option
    else this.#trust = proxyAddr().compile(option)
  }

  /** Whether the socket peer is a trusted proxy. */
  trusts(addr: string | undefined): boolean {
    return addr !== undefined && this.#trust(addr, 0)
  }

  /** The left-most address not vouched for by a trusted proxy. */
  clientIp(req: Addressable): string | undefined {
    const peer = req.remoteAddress
    if (peer === undefined) return undefined
    const forwarded = req.header("x-forwarded-for")
    if (!forwarded) return peer
    const chain = [
      peer,
      ...forwarded
        .split(",")
        .map((s) => s.trim())
        .reverse(),
    ]
    let i = 0
    while (i < chain.length - 1 && this.#trust(chain[i]!, i)) i++
    return chain[i]
  }
}
