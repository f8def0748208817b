import type { StandardSchemaV1 } from "@standard-schema/spec"
import type { TrussError } from "../kit.js"
import { realtimeErrors } from "./errors.js"

/** A client frame handled by realtime itself: `{ "$": "join" | "leave", "channel": "…" }`. @internal */
export interface Control {
  readonly op: "join" | "leave"
  readonly channel: string
}

/** The parsed frame: an app message, a control frame, or the error to send back. @internal */
export type Parsed =
  | { kind: "message"; value: unknown }
  | { kind: "control"; control: Control }
  | { kind: "error"; error: TrussError }

/** Parses a text frame as JSON and recognises control frames. @internal */
export function parseFrame(raw: Buffer | ArrayBuffer | Buffer[], binary: boolean): Parsed {
  if (binary) return { kind: "error", error: realtimeErrors.MALFORMED_MESSAGE() }
  const text = Buffer.isBuffer(raw)
    ? raw.toString()
    : Array.isArray(raw)
      ? Buffer.concat(raw).toString()
      : Buffer.from(raw).toString()
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { kind: "error", error: realtimeErrors.MALFORMED_MESSAGE() }
  }
  if (typeof value === "object" && value !== null && "$" in value) {
    const { $: op, channel } = value as { $: unknown; channel: unknown }
    if ((op === "join" || op === "leave") && typeof channel === "string") {
      return { kind: "control", control: { op, channel } }
    }
    return { kind: "error", error: realtimeErrors.MALFORMED_MESSAGE() }
  }
  return { kind: "message", value }
}

/** Issues as the error frame lists them: `{ path, message }`. */
function issuesOf(issues: readonly StandardSchemaV1.Issue[]): { path: string; message: string }[] {
  return issues.map((i) => ({
    path: (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join("."),
    message: i.message,
  }))
}

/** Validates `value` with `schema`; the output, or the error frame's error. @internal */
export function validate(
  schema: StandardSchemaV1 | undefined,
  value: unknown,
):
  | { ok: true; value: unknown }
  | { ok: false; error: TrussError }
  | Promise<{ ok: true; value: unknown } | { ok: false; error: TrussError }> {
  if (schema === undefined) return { ok: true, value }
  const settle = (r: StandardSchemaV1.Result<unknown>) =>
    r.issues === undefined
      ? ({ ok: true, value: r.value } as const)
      : ({
          ok: false,
          error: realtimeErrors.INVALID_MESSAGE(undefined, {
            extensions: { issues: issuesOf(r.issues) },
          }),
        } as const)
  const result = schema["~standard"].validate(value)
  return result instanceof Promise ? result.then(settle) : settle(result)
}
