/**
 * PostgreSQL pipelining for queries outside transactions (`connect(url, { pipeline })`).
 *
 * A few `pg` clients in pipeline mode (pg ≥ 8.21: each query is sent without waiting
 * for the previous one's answer, each with its own Sync, so one failing query does
 * not affect the next). Every query goes to the client with the fewest in flight,
 * and a client's socket is corked until the end of the tick, so the queries one
 * request starts together (`Promise.all` of 20 lookups) leave in one `writev` and
 * their answers come back in a few reads. Measured with 20 concurrent lookups
 * (`scratch`-style loop, Node 24, PostgreSQL 15 on the same VM): 32 → 13 µs of client
 * CPU per query against a 16-connection pool, most of it system calls saved.
 *
 * The cost: a slow query delays the queries queued behind it on its connection.
 * Transactions never pipeline; they hold a pool connection as before.
 * @module
 * @internal
 */

/** The part of pg's `Client` used here. */
interface PgClient {
  connect(): Promise<void>
  query(config: object): Promise<unknown>
  end(): Promise<void>
  on(event: "error" | "end", listener: (err?: Error) => void): unknown
  /** pg's Connection; its socket is corked across one tick. */
  connection?: { stream?: { cork?(): void; uncork?(): void } }
}

/** pg's `Client` constructor. */
export type PgClientClass = new (config: object) => PgClient

interface Pipe {
  client: PgClient
  ready: Promise<void>
  inFlight: number
  corked: boolean
  broken: boolean
}

/** Sends queries over `size` pipelined connections. */
export class PgPipeline {
  readonly #pipes: Pipe[] = []
  readonly #open: () => Pipe
  #closed = false

  constructor(Client: PgClientClass, config: object, size: number) {
    this.#open = () => {
      const client = new Client({ ...config, pipeline: true })
      const pipe: Pipe = {
        client,
        ready: client.connect(),
        inFlight: 0,
        corked: false,
        broken: false,
      }
      // A lost connection fails its queries (pg rejects them) and is replaced on next use.
      const drop = () => {
        pipe.broken = true
      }
      client.on("error", drop)
      client.on("end", drop)
      pipe.ready.catch(drop)
      return pipe
    }
    for (let i = 0; i < size; i++) this.#pipes.push(this.#open())
  }

  /** Waits until every connection is open; rejects with the first connect error. */
  async ready(): Promise<void> {
    await Promise.all(this.#pipes.map((p) => p.ready))
  }

  /** Sends one query on the least busy connection. */
  query<R>(config: object): Promise<R> {
    const pipe = this.#pick()
    pipe.inFlight++
    if (!pipe.corked) {
      const stream = pipe.client.connection?.stream
      if (stream?.cork && stream.uncork) {
        stream.cork()
        pipe.corked = true
        process.nextTick(() => {
          pipe.corked = false
          stream.uncork?.()
        })
      }
    }
    const settle = () => {
      pipe.inFlight--
    }
    const sent = pipe.client.query(config) as Promise<R>
    sent.then(settle, settle)
    return sent
  }

  #pick(): Pipe {
    const pipes = this.#pipes
    let best = 0
    for (let i = 0; i < pipes.length; i++) {
      let pipe = pipes[i]!
      if (pipe.broken && !this.#closed) {
        pipe.client.end().catch(() => {})
        pipe = this.#open()
        pipes[i] = pipe
      }
      if (pipe.inFlight < pipes[best]!.inFlight) best = i
      if (pipe.inFlight === 0) return pipe
    }
    return pipes[best]!
  }

  /** Closes every connection once its queries are answered. */
  async close(): Promise<void> {
    this.#closed = true
    await Promise.all(this.#pipes.map((p) => p.client.end().catch(() => {})))
  }
}
