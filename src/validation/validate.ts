import type { StandardSchemaV1 } from "@standard-schema/spec"
import { isJson } from "../body/limits.js"
import type { Handler } from "../compose.js"
import { type Context, SERIALIZE, INPUTS as VALID_INPUTS } from "../context.js"
import { errors } from "../errors.js"
import { setResult } from "../response/result.js"
import { type CoercePlan, coercePlan, coerceValue, fromEntries, jsonSchemaOf } from "./coerce.js"
import { type InputKey, toIssue, type ValidationIssue } from "./issues.js"
import { compileResponses } from "./response.js"

/**
 * Route validation through the Standard Schema interface (`~standard.validate`): any
 * Standard Schema v1 validator works (zod, valibot, arktype). Runs as the last step
 * before the handler, after route middleware.
 * @module
 */

interface InputStep {
  key: InputKey
  schema: StandardSchemaV1
  plan: CoercePlan | undefined
}

const INPUTS: readonly InputKey[] = ["params", "query", "headers", "cookies", "body"]

/** The route's schema-related options, as the core reads them. @internal */
export interface SchemaOptions {
  params?: StandardSchemaV1 | undefined
  query?: StandardSchemaV1 | undefined
  headers?: StandardSchemaV1 | undefined
  cookies?: StandardSchemaV1 | undefined
  body?: StandardSchemaV1 | undefined
  response?: { readonly [status: number]: StandardSchemaV1 } | undefined
}

/**
 * Wraps a handler so it validates the declared inputs first (422 on failure) and
 * checks or fast-serializes declared responses. Returns the handler as is when the
 * route declares no schemas. @internal
 */
export function withSchemas(
  route: string,
  options: SchemaOptions,
  handler: Handler,
  debug: boolean,
): Handler {
  const steps: InputStep[] = []
  for (const key of INPUTS) {
    const schema = options[key]
    if (schema === undefined) continue
    steps.push({ key, schema, plan: coercePlan(jsonSchemaOf(schema, "input"), key === "headers") })
  }
  const responses = options.response ? compileResponses(route, options.response, debug) : undefined
  if (steps.length === 0 && responses === undefined) return handler
  if (steps.length === 0 && responses?.fast) {
    // Production fast path: no extra promise. The serializer stays on the context;
    // renderError() removes it, so error bodies are never shaped by the schema.
    const serialize = responses.fast
    return function serialized(c: Context) {
      c[SERIALIZE] = serialize
      return handler(c)
    }
  }
  return async function validated(c: Context) {
    if (steps.length > 0) await validateInputs(c, steps)
    if (responses === undefined) return handler(c)
    const capture = responses.begin(c)
    if (capture === undefined) return handler(c)
    try {
      const value = await handler(c)
      if (value !== undefined) setResult(c, value)
      else if (c.body === undefined) return undefined
      if (capture !== undefined) await responses.check(c, capture)
      return c
    } finally {
      c[SERIALIZE] = undefined
    }
  }
}

async function validateInputs(c: Context, steps: InputStep[]): Promise<void> {
  const issues: ValidationIssue[] = []
  const valid: Record<string, unknown> = {}
  for (const step of steps) {
    const raw = await readPart(c, step)
    let result = step.schema["~standard"].validate(raw)
    if (result instanceof Promise) result = await result
    if (result.issues) for (const issue of result.issues) issues.push(toIssue(step.key, issue))
    else valid[step.key] = result.value
  }
  if (issues.length > 0)
    throw errors.VALIDATION({ count: issues.length }, { extensions: { errors: issues } })
  c[VALID_INPUTS] = valid
}

async function readPart(c: Context, step: InputStep): Promise<unknown> {
  const { req } = c
  const plan = step.plan
  switch (step.key) {
    case "params":
      return coerceRecord(c.params as Record<string, unknown>, plan)
    case "query":
      return fromEntries(req.query, plan)
    case "headers":
      return fromEntries(req.headers, plan)
    case "cookies":
      return coerceRecord(req.cookies, plan)
    case "body": {
      const type = req.contentType
      if (type === "" && !hasBody(c)) return undefined
      if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
        return fromEntries(await req.form(), plan)
      }
      if (!isJson(type) && type.startsWith("text/")) return req.text()
      return req.json()
    }
  }
}

function hasBody(c: Context): boolean {
  const length = c.req.header("content-length")
  return length !== undefined ? length !== "0" : c.req.header("transfer-encoding") !== undefined
}

function coerceRecord(
  record: Record<string, unknown>,
  plan: CoercePlan | undefined,
): Record<string, unknown> {
  if (plan === undefined) return record
  const out: Record<string, unknown> = {}
  for (const key in record) {
    const field = plan.get(key)
    out[key] = field ? coerceValue(record[key], field.types) : record[key]
  }
  return out
}
