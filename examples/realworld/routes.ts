import { z } from "zod"
import * as s from "./schemas.js"

/** The spec's operation id and tag around a route's schemas. */
export const op = <O extends object>(operationId: string, tag: string, o: O) => ({
  operationId,
  tags: [tag],
  ...o,
})
/** {@link op} for a route that needs `Authorization: Token <jwt>`. */
export const authed = <O extends object>(operationId: string, tag: string, o: O) => ({
  ...op(operationId, tag, o),
  security: [{ Token: [] }],
})

/** Responses: `schema` under `status`, with the spec's 401 and 422. */
export const ok = <S extends z.ZodType, C extends 200 | 201 = 200>(schema: S, status?: C) =>
  ({ [status ?? 200]: schema, ...s.authErrors }) as { [K in C]: S } & typeof s.authErrors
export const noContent = { 204: z.null(), ...s.authErrors }
