import type { StandardSchemaV1 } from "@standard-schema/spec"
import { type Context, SERIALIZE } from "../context.js"
import { errors } from "../errors.js"
import { lazyRequire } from "../util/lazy.js"
import { type JsonSchema, jsonSchemaOf } from "./coerce.js"
import { issuePath } from "./issues.js"

// Loaded only when a route declares a response schema (~30 ms of `import "truss"` otherwise).
const fastJson = lazyRequire<typeof import("fast-json-stringify")>("fast-json-stringify")

/** What a handler sent through `c.json()` (or by returning a plain value). @internal */
export interface Sent {
  data: unknown
  status: number
}

/** A route's compiled response handling. @internal */
export interface CompiledResponses {
  /** The production serializer, when every declared schema compiled to one. */
  fast: ((data: unknown, status: number) => string) | undefined
  /** Installs the serializer for this request; returns a capture box when checking. */
  begin(c: Context): { sent: Sent | undefined } | undefined
  /** Validates what was sent against the declared schema; throws a loud 500. */
  check(c: Context, capture: { sent: Sent | undefined }): Promise<void>
}

type Stringify = (data: unknown) => string

/**
 * Compiles a route's `response` schemas. Production (`debug: false`) serializes with
 * fast-json-stringify built from each schema's JSON Schema, which also drops undeclared
 * fields; with `debug: true`, or when a schema has no JSON Schema, the body is
 * validated and a mismatch is a 500 naming the route and the field. @internal
 */
export function compileResponses(
  route: string,
  schemas: { readonly [status: number]: StandardSchemaV1 },
  debug: boolean,
): CompiledResponses {
  const fast = debug ? undefined : compileFast(schemas)
  if (fast !== undefined) {
    const serialize = (data: unknown, status: number): string => {
      const stringify = fast.get(status)
      return stringify === undefined ? (JSON.stringify(data) ?? "null") : stringify(data)
    }
    return {
      fast: serialize,
      begin(c) {
        c[SERIALIZE] = serialize
        return undefined
      },
      async check() {},
    }
  }
  return {
    fast: undefined,
    begin(c) {
      const capture: { sent: Sent | undefined } = { sent: undefined }
      c[SERIALIZE] = (data, status) => {
        capture.sent = { data, status }
        return JSON.stringify(data) ?? "null"
      }
      return capture
    },
    async check(c, capture) {
      const sent = capture.sent
      if (sent === undefined) return
      const schema = schemas[sent.status]
      if (schema === undefined) {
        const declared = Object.keys(schemas).join(", ")
        throw errors.RESPONSE_INVALID({
          route,
          status: sent.status,
          field: "(status)",
          message: `status ${sent.status} is not declared in response (declared: ${declared})`,
        })
      }
      let result = schema["~standard"].validate(sent.data)
      if (result instanceof Promise) result = await result
      if (result.issues) {
        const issue = result.issues[0]!
        throw errors.RESPONSE_INVALID({
          route,
          status: sent.status,
          field: issuePath(issue) || "(body)",
          message: issue.message,
        })
      }
      c.body = JSON.stringify(result.value) ?? "null"
    },
  }
}

/** One fast serializer per status, or undefined when any schema lacks a JSON Schema. */
function compileFast(schemas: {
  readonly [status: number]: StandardSchemaV1
}): Map<number, Stringify> | undefined {
  const out = new Map<number, Stringify>()
  for (const [status, schema] of Object.entries(schemas)) {
    const json = jsonSchemaOf(schema, "output")
    if (json === undefined) return undefined
    try {
      out.set(Number(status), fastJson()(forSerializer(json)) as Stringify)
    } catch {
      return undefined
    }
  }
  return out
}

/** fast-json-stringify reads draft-07: rename `$defs` refs to `definitions`. */
function forSerializer(schema: JsonSchema): JsonSchema {
  const { $schema: _ignored, $defs, ...rest } = schema
  const text = JSON.stringify(rest).replaceAll('"#/$defs/', '"#/definitions/')
  const out = JSON.parse(text) as JsonSchema
  if ($defs !== undefined) {
    out.definitions = JSON.parse(JSON.stringify($defs).replaceAll('"#/$defs/', '"#/definitions/'))
  }
  return out
}
