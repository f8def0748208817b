import * as v from "valibot"
import { describe, expectTypeOf, it } from "vitest"
import { z } from "zod"
import { App, Blueprint, type Context } from "../index.js"

describe("c.valid() types", () => {
  it("types each declared part as the schema's output", () => {
    new App().post(
      "/notes/:id",
      {
        params: z.object({ id: z.coerce.number() }),
        query: z.object({ page: z.number().default(1), tag: z.string().optional() }),
        body: z.object({ text: z.string(), tags: z.array(z.string()).default([]) }),
        headers: v.object({ "x-tenant": v.string() }),
      },
      (c) => {
        expectTypeOf(c.valid("params")).toEqualTypeOf<{ id: number }>()
        expectTypeOf(c.valid("query")).toEqualTypeOf<{ page: number; tag?: string | undefined }>()
        expectTypeOf(c.valid("body")).toEqualTypeOf<{ text: string; tags: string[] }>()
        expectTypeOf(c.valid("headers")).toEqualTypeOf<{ "x-tenant": string }>()
        expectTypeOf(c.params).toEqualTypeOf<{ id: string }>()
        // @ts-expect-error: cookies are not declared on this route
        c.valid("cookies")
        return "ok"
      },
    )
  })

  it("offers no validated parts on routes without schemas", () => {
    new App().get("/", { name: "home" }, (c) => {
      // @ts-expect-error: nothing was validated
      c.valid("body")
      return "home"
    })
  })

  it("types route middleware with the plain context and route(path) chains too", () => {
    new Blueprint({ prefix: "/api" }).route("/items").post(
      { body: z.object({ n: z.number() }) },
      async function auth(c, next) {
        expectTypeOf(c).toEqualTypeOf<Context>()
        await next()
      },
      (c) => {
        expectTypeOf(c.valid("body")).toEqualTypeOf<{ n: number }>()
        return c.valid("body").n
      },
    )
  })
})
