import { describe, expectTypeOf, it } from "vitest"
import type { CreateInput, Database, Row, UpdateInput } from "../../src/orm/index.js"
import { Article, type Tag, User } from "./support/models.js"

declare const db: Database

describe("inferred model types", () => {
  it("infers rows with nullable fields, foreign-key ids and the automatic id", () => {
    expectTypeOf<Row<typeof User>>().toEqualTypeOf<{
      id: number
      username: string
      email: string | null
      karma: number
    }>()
    expectTypeOf<Row<typeof Article>["editorId"]>().toEqualTypeOf<number | null>()
    expectTypeOf<Row<typeof Article>["status"]>().toEqualTypeOf<"draft" | "live">()
    expectTypeOf<Row<typeof Article>["createdAt"]>().toEqualTypeOf<Date>()
    expectTypeOf<Row<typeof Article>>().not.toHaveProperty("tags")
  })

  it("makes fields with defaults or null optional in create input", () => {
    expectTypeOf<CreateInput<typeof User>>().toEqualTypeOf<{
      id?: number
      username: string
      email?: string | null
      karma?: number
    }>()
    expectTypeOf<CreateInput<typeof Article>["authorId"]>().toEqualTypeOf<number>()
    expectTypeOf<UpdateInput<typeof Tag>>().toHaveProperty("name")
  })

  it("types query results, selectRelated, values and annotations", async () => {
    const rows = await db.query(Article).selectRelated("author", "editor").all()
    expectTypeOf(rows[0]!.author.username).toEqualTypeOf<string>()
    expectTypeOf(rows[0]!.editor).toEqualTypeOf<Row<typeof User> | null>()
    const values = await db.query(Article).values("id", "title").all()
    expectTypeOf(values).toEqualTypeOf<{ id: number; title: string }[]>()
    const tags = await db.query(Article).prefetchRelated("tags").first()
    expectTypeOf(tags!.tags).toEqualTypeOf<Row<typeof Tag>[]>()
  })

  it("rejects unknown fields, wrong value types and unknown order keys", () => {
    // @ts-expect-error unknown field
    db.query(User).filter({ nope: 1 })
    // @ts-expect-error wrong value type
    db.query(User).filter({ karma: "high" })
    // @ts-expect-error icontains only on strings
    db.query(User).filter({ karma: { icontains: "x" } })
    // @ts-expect-error unknown order key
    db.query(User).orderBy("-nope")
    db.query(Article).filter({ author: { username: { startsWith: "a" } }, views: { gte: 1 } })
    db.query(Article).orderBy("-views", "author.username")
  })
})
