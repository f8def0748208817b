/**
 * A minimal RFC 6455 client over a raw `net` socket, the same for every server the bench
 * compares, so that the load generator costs as little as it can per delivery: handshake,
 * then read the server's (unmasked) frames and pull the send stamp out of each payload
 * with an `indexOf` and a `parseFloat` instead of a `ws` client and a full JSON.parse.
 * Client frames are masked with the all-zero key (legal: RFC 6455 only requires the
 * mask bit and a key), so one prebuilt frame is written as is for every echo.
 *
 * Socket.IO speaks engine.io inside the WebSocket: `0{…}` open, `40` namespace connect,
 * `2` ping answered with `3`, `42["event",data]` messages. That framing is read here too,
 * over the same socket, rather than through socket.io-client.
 * @module
 */
import { connect, type Socket } from "node:net"

/** What a connection reports: a broadcast's send stamp, or an echo reply. */
export interface LeanHandlers {
  stamp(sentAt: number): void
  echo(): void
}

const STAMP = Buffer.from('"t":')
const KEY = "dGhlIHNhbXBsZSBub25jZQ=="

/** A masked (zero key) text frame with `text` as payload. */
export function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text)
  if (payload.length > 125) throw new Error("bench client frames stay under 126 bytes")
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload])
}

const PONG = Buffer.from([0x8a, 0x80, 0, 0, 0, 0])
const IO_CONNECT = clientFrame("40")
const IO_PONG = clientFrame("3")

/** One open connection: `write` sends a prebuilt client frame. */
export interface LeanConn {
  write(frame: Buffer): void
  close(): void
}

/** Opens `path` on `host:port`; resolves once the server would deliver broadcasts. */
export function openLean(
  host: string,
  port: number,
  path: string,
  socketIo: boolean,
  on: LeanHandlers,
): Promise<LeanConn> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect({ host, port, noDelay: true })
    const conn: LeanConn = { write: (f) => sock.write(f), close: () => sock.destroy() }
    let rest: Buffer | undefined
    let upgraded = false
    sock.once("error", reject)
    sock.write(
      `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    )
    const text = (buf: Buffer, start: number, end: number) => {
      if (socketIo) {
        const kind = buf[start]
        if (kind === 0x32 /* 2: ping */ && end - start === 1) return sock.write(IO_PONG)
        if (kind === 0x30 /* 0: open */) return sock.write(IO_CONNECT)
        if (kind === 0x34 && buf[start + 1] === 0x30 /* 40: connected */) return resolve(conn)
      }
      const at = buf.indexOf(STAMP, start)
      if (at !== -1 && at < end)
        on.stamp(Number.parseFloat(buf.toString("latin1", at + 4, Math.min(end, at + 28))))
      else on.echo()
    }
    sock.on("data", (chunk: Buffer) => {
      const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk])
      rest = undefined
      let o = 0
      if (!upgraded) {
        const head = buf.indexOf("\r\n\r\n")
        if (head === -1) {
          rest = buf
          return
        }
        if (!buf.toString("latin1", 0, 12).endsWith("101"))
          return reject(new Error(buf.toString("latin1", 0, head)))
        upgraded = true
        if (!socketIo) resolve(conn)
        o = head + 4
      }
      while (buf.length - o >= 2) {
        const op = buf[o]! & 0x0f
        let len = buf[o + 1]! & 0x7f
        let at = o + 2
        if (len === 126) {
          if (buf.length - o < 4) break
          len = buf.readUInt16BE(o + 2)
          at = o + 4
        } else if (len === 127) {
          if (buf.length - o < 10) break
          len = Number(buf.readBigUInt64BE(o + 2))
          at = o + 10
        }
        if (buf.length < at + len) break
        if (op === 1) text(buf, at, at + len)
        else if (op === 9) sock.write(PONG)
        else if (op === 8) sock.destroy()
        o = at + len
      }
      if (o < buf.length) rest = buf.subarray(o)
    })
  })
}
