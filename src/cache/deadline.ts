interface Pending {
  readonly at: number
  readonly reject: (error: Error) => void
}

/**
 * Bounds store calls in time with one shared interval instead of a timer per call:
 * a hit on the memory store then costs no setTimeout/clearTimeout pair. A call is
 * rejected at most one tick (a tenth of the limit) after its deadline.
 */
export class Deadlines {
  readonly #ms: number
  readonly #tick: number
  readonly #pending = new Set<Pending>()
  #timer: NodeJS.Timeout | undefined

  constructor(ms: number) {
    this.#ms = ms
    this.#tick = Math.max(5, Math.ceil(ms / 10))
  }

  /** `op()`'s result, or a rejection once it has taken over the limit. */
  run<T>(op: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { at: Date.now() + this.#ms, reject }
      this.#pending.add(entry)
      this.#timer ??= setInterval(() => this.#sweep(), this.#tick).unref()
      const settle = () => this.#pending.delete(entry)
      try {
        op().then(
          (value) => {
            settle()
            resolve(value)
          },
          (error: unknown) => {
            settle()
            reject(error)
          },
        )
      } catch (error) {
        settle()
        reject(error)
      }
    })
  }

  #sweep(): void {
    const now = Date.now()
    for (const p of this.#pending) {
      if (p.at > now) continue
      this.#pending.delete(p)
      p.reject(new Error(`cache store call took over ${this.#ms} ms`))
    }
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
    }
  }
}
