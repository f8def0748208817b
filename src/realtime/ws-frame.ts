/**
 * A whole unmasked WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, the payload
 * length, the payload), built once per broadcast so that every socket of a fan-out is one
 * `write` of the same Buffer. `ws` itself frames each `send` again (a header Buffer, two
 * corked writes) per socket; Socket.IO skips that the same way (engine.io writes
 * `WebSocket.Sender.frame()` output to each socket). @internal
 */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10
  const frame = Buffer.allocUnsafe(head + n)
  frame[0] = 0x81
  if (head === 2) frame[1] = n
  else if (head === 4) {
    frame[1] = 126
    frame.writeUInt16BE(n, 2)
  } else {
    frame[1] = 127
    frame.writeBigUInt64BE(BigInt(n), 2)
  }
  payload.copy(frame, head)
  return frame
}
