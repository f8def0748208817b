import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { avg, count, type Database, has, max, type Row, sum } from "../../src/orm/index.js"
import { sqlFor, testDatabases } from "../support/databases.js"
import { Article, Tag, User } from "./support/models.js"
import { seed } from "./support/seed.js"

const ARTICLE =
  '"article"."id", "article"."title", "article"."slug", "article"."body", "article"."views", "article"."rating", "article"."price", "article"."published", "article"."status", "article"."meta", "article"."day", "article"."created_at", "article"."author_id", "article"."editor_id"'

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: query sets`, () => {
    const sql = (s: string) => sqlFor(target.name, s)
    let db: Database
    let drop: () => Promise<void>
    const log: string[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({ onQuery: (e) => log.push(e.sql) }))
      await seed(db)
    })
    afterAll(() => drop())

    it("compiles a comparison, descending order and limit, then returns the rows", async () => {
      const qs = db
        .query(Article)
        .filter({ views: { gte: 5 } })
        .orderBy("-views")
        .limit(2)
      expect(qs.toSql()).toEqual({
        sql: sql(
          `SELECT ${ARTICLE} FROM "article" WHERE "article"."views" >= ? ORDER BY "article"."views" DESC LIMIT 2`,
        ),
        parameters: [5],
      })
      expect((await qs.all()).map((a) => a.slug)).toEqual(["bob-guide", "hello"])
    })

    it("joins a forward relation for author.username and selects only values()", async () => {
      const qs = db
        .query(Article)
        .filter({ author: { username: "ann" } })
        .values("id", "title")
      expect(qs.toSql().sql).toBe(
        sql(
          'SELECT "article"."id" AS "id", "article"."title" AS "title" FROM "article" INNER JOIN "user" AS "author" ON "author"."id" = "article"."author_id" WHERE "author"."username" = ? ORDER BY "article"."id" ASC',
        ),
      )
      expect(await qs.all()).toEqual([
        { id: 1, title: "Hello World" },
        { id: 2, title: "Second post" },
      ])
    })

    it("compiles icontains to the dialect's case-insensitive LIKE", async () => {
      const qs = db
        .query(Article)
        .filter({ title: { icontains: "HELLO" } })
        .values("slug")
      const like = {
        sqlite: `"article"."title" LIKE ? ESCAPE '\\'`,
        postgres: `"article"."title" ILIKE $1`,
        mariadb: "`article`.`title` LIKE ?",
      }[target.sql]
      expect(qs.toSql().sql).toBe(
        `${sql('SELECT "article"."slug" AS "slug" FROM "article" WHERE ')}${like}${sql(' ORDER BY "article"."id" ASC')}`,
      )
      expect(qs.toSql().parameters).toEqual(["%HELLO%"])
      expect(await qs.all()).toEqual([{ slug: "hello" }])
    })

    it("matches contains case-sensitively and treats % and _ literally", async () => {
      const slugs = async (
        f: Parameters<ReturnType<typeof db.query<typeof Article>>["filter"]>[0],
      ) => (await db.query(Article).filter(f).values("slug").all()).map((r) => r.slug)
      expect(await slugs({ title: { contains: "hello" } })).toEqual([])
      expect(await slugs({ title: { contains: "Hello" } })).toEqual(["hello"])
      expect(await slugs({ title: { contains: "100%" } })).toEqual(["bob-guide"])
      expect(await slugs({ title: { endsWith: "e_" } })).toEqual(["bob-guide"])
      expect(await slugs({ title: { contains: "0_" } })).toEqual([])
      expect(await slugs({ title: { startsWith: "Bob's" } })).toEqual(["bob-guide"])
    })

    it("combines or/not and applies in, range, isNull and ne", async () => {
      const qs = db
        .query(Article)
        .filter((q) => q.or({ views: { lt: 5 } }, q.not({ author: { username: "ann" } })))
      expect(qs.toSql().sql).toBe(
        sql(
          `SELECT ${ARTICLE} FROM "article" INNER JOIN "user" AS "author" ON "author"."id" = "article"."author_id" WHERE "article"."views" < ? OR NOT "author"."username" = ? ORDER BY "article"."id" ASC`,
        ),
      )
      expect((await qs.all()).map((a) => a.id)).toEqual([2, 3])
      const ids = async (f: Parameters<ReturnType<typeof db.query<typeof Article>>["filter"]>[0]) =>
        (await db.query(Article).filter(f).values("id").all()).map((r) => r.id)
      expect(await ids({ id: { in: [3, 1] } })).toEqual([1, 3])
      expect(await ids({ id: { in: [] } })).toEqual([])
      expect(await ids({ views: { range: [3, 10] } })).toEqual([1, 2])
      expect(await ids({ rating: { isNull: true } })).toEqual([2])
      expect(await ids({ rating: null })).toEqual([2])
      expect(await ids({ editorId: { isNull: false } })).toEqual([2])
      expect(await ids({ status: { ne: "draft" } })).toEqual([1])
      expect(await ids({ id: { notIn: [1] }, published: false })).toEqual([2, 3])
    })

    it("exclude() keeps rows whose nullable field is NULL, as Django does", async () => {
      const qs = db.query(Article).exclude({ editorId: 2 }).values("id")
      expect(qs.toSql().sql).toBe(
        sql(
          'SELECT "article"."id" AS "id" FROM "article" WHERE NOT ("article"."editor_id" = ? AND "article"."editor_id" IS NOT NULL) ORDER BY "article"."id" ASC',
        ),
      )
      expect(await qs.all()).toEqual([{ id: 1 }, { id: 3 }])
      expect(
        await db
          .query(Article)
          .exclude({ rating: { gt: 4 } })
          .values("id")
          .all(),
      ).toEqual([{ id: 2 }, { id: 3 }])
      expect(
        await db
          .query(Article)
          .exclude({ editor: { username: "bob" } })
          .values("id")
          .all(),
      ).toEqual([{ id: 1 }, { id: 3 }])
      expect(await db.query(Article).exclude({ rating: null }).values("id").all()).toEqual([
        { id: 1 },
        { id: 3 },
      ])
    })

    it("filters across many-to-many and reverse relations with EXISTS", async () => {
      const qs = db
        .query(Article)
        .filter({ tags: { name: "ts" } })
        .values("id")
      expect(qs.toSql().sql).toBe(
        sql(
          'SELECT "article"."id" AS "id" FROM "article" WHERE EXISTS (SELECT 1 FROM "article_tags" AS "article__tags_t" INNER JOIN "tag" AS "article__tags" ON "article__tags"."id" = "article__tags_t"."tag_id" WHERE "article__tags_t"."article_id" = "article"."id" AND "article__tags"."name" = ?) ORDER BY "article"."id" ASC',
        ),
      )
      expect(await qs.all()).toEqual([{ id: 1 }])
      const untagged = await db
        .query(Article)
        .exclude({ tags: { name: "sql" } })
        .values("id")
        .all()
      expect(untagged).toEqual([{ id: 2 }])
      const users = db
        .query(User)
        .filter(has("articles", { views: { gt: 20 } }))
        .values("username")
      expect(users.toSql().sql).toBe(
        sql(
          'SELECT "user"."username" AS "username" FROM "user" WHERE EXISTS (SELECT 1 FROM "article" AS "user__articles" WHERE "user__articles"."author_id" = "user"."id" AND "user__articles"."views" > ?)',
        ),
      )
      expect(await users.all()).toEqual([{ username: "bob" }])
      expect(
        await db
          .query(Tag)
          .filter(has("articles", { slug: "bob-guide" }))
          .values("name")
          .all(),
      ).toEqual([{ name: "sql" }])
    })

    it("counts, checks existence and aggregates", async () => {
      const qs = db.query(Article).filter({ published: false })
      expect(await qs.count()).toBe(2)
      expect(log.at(-1)).toBe(
        sql('SELECT COUNT(*) AS "count" FROM "article" WHERE "article"."published" = ?'),
      )
      expect(await qs.exists()).toBe(true)
      expect(await qs.filter({ views: 999 }).exists()).toBe(false)
      const stats = await db
        .query(Article)
        .aggregate({ n: count(), total: sum("views"), top: max("views"), mean: avg("views") })
      expect(log.at(-1)).toBe(
        sql(
          'SELECT COUNT(*) AS "n", SUM("article"."views") AS "total", MAX("article"."views") AS "top", AVG("article"."views") AS "mean" FROM "article"',
        ),
      )
      expect(stats).toEqual({ n: 3, total: 63, top: 50, mean: 21 })
      expect(
        await db
          .query(Article)
          .filter({ views: 999 })
          .aggregate({ total: sum("views") }),
      ).toEqual({ total: null })
    })

    it("groups values() with annotate() and orders by the annotation", async () => {
      const qs = db.query(Article).values("authorId").annotate({ n: count() }).orderBy("-n")
      expect(qs.toSql().sql).toBe(
        sql(
          'SELECT "article"."author_id" AS "authorId", COUNT(*) AS "n" FROM "article" GROUP BY "article"."author_id" ORDER BY "n" DESC',
        ),
      )
      expect(await qs.all()).toEqual([
        { authorId: 1, n: 2 },
        { authorId: 2, n: 1 },
      ])
    })

    it("orders with explicit nulls placement", async () => {
      const qs = db.query(Article).orderBy({ field: "rating", nulls: "last" }).values("id")
      const order = {
        sqlite: '"article"."rating" ASC NULLS LAST',
        postgres: '"article"."rating" ASC NULLS LAST',
        mariadb: "`article`.`rating` IS NULL ASC, `article`.`rating` ASC",
      }[target.sql]
      expect(qs.toSql().sql).toBe(
        `${sql('SELECT "article"."id" AS "id" FROM "article" ORDER BY ')}${order}`,
      )
      expect(await qs.all()).toEqual([{ id: 3 }, { id: 1 }, { id: 2 }])
      const first = await db
        .query(Article)
        .orderBy({ field: "rating", direction: "desc", nulls: "first" })
        .values("id")
        .all()
      expect(first).toEqual([{ id: 2 }, { id: 1 }, { id: 3 }])
    })

    it("pages with offset, distinct and orders across a relation", async () => {
      const page = await db
        .query(Article)
        .orderBy("author.username", "-views")
        .offset(1)
        .limit(5)
        .values("slug")
        .all()
      expect(page).toEqual([{ slug: "second" }, { slug: "bob-guide" }])
      const authors = await db
        .query(Article)
        .values("authorId")
        .distinct()
        .orderBy("authorId")
        .all()
      expect(authors).toEqual([{ authorId: 1 }, { authorId: 2 }])
    })

    it("get() returns one row and throws coded errors for none and several", async () => {
      expect((await db.query(User).get({ username: "bob" })).email).toBe("bob@example.com")
      expect(log.at(-1)).toBe(
        sql(
          'SELECT "user"."id", "user"."username", "user"."email", "user"."karma" FROM "user" WHERE "user"."username" = ? LIMIT 21',
        ),
      )
      await expect(db.query(User).get({ username: "zed" })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_DOES_NOT_EXIST",
        status: 404,
        message:
          "No user matches the query. Check the filter, or use .first() to get undefined instead of an error.",
      })
      await expect(db.query(User).get({ karma: { gte: 0 } })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_MULTIPLE_OBJECTS",
        message:
          "get() found 3 user rows but expects exactly one. Filter on a unique field, or use .first().",
      })
      expect(await db.query(User).filter({ username: "zed" }).first()).toBe(undefined)
    })

    it("round-trips every value type exactly", async () => {
      const a = await db.query(Article).get({ slug: "hello" })
      expect(a).toEqual({
        id: 1,
        title: "Hello World",
        slug: "hello",
        body: "",
        views: 10,
        rating: 4.5,
        price: "9.99",
        published: true,
        status: "live",
        meta: { lang: "en", tags: ["a", "b"] },
        day: "2024-01-02",
        createdAt: new Date("2024-03-01T10:20:30.123Z"),
        authorId: 1,
        editorId: null,
      })
      expect(
        await db
          .query(Article)
          .filter({ createdAt: { lt: new Date("2024-03-02T00:00:00Z") } })
          .count(),
      ).toBe(3)
      expect(await db.query(Article).filter({ day: "2024-01-02" }).count()).toBe(1)
    })

    it("selectRelated adds joined rows (null for a missing nullable FK)", async () => {
      const qs = db
        .query(Article)
        .selectRelated("author", "editor")
        .filter({ id: { lte: 2 } })
      expect(qs.toSql().sql).toBe(
        sql(
          `SELECT ${ARTICLE}, "author"."id" AS "author.id", "author"."username" AS "author.username", "author"."email" AS "author.email", "author"."karma" AS "author.karma", "editor"."id" AS "editor.id", "editor"."username" AS "editor.username", "editor"."email" AS "editor.email", "editor"."karma" AS "editor.karma" FROM "article" INNER JOIN "user" AS "author" ON "author"."id" = "article"."author_id" LEFT JOIN "user" AS "editor" ON "editor"."id" = "article"."editor_id" WHERE "article"."id" <= ? ORDER BY "article"."id" ASC`,
        ),
      )
      const rows = await qs.all()
      expect(rows.map((r) => [r.author.username, r.editor?.username ?? null])).toEqual([
        ["ann", null],
        ["ann", "bob"],
      ])
    })

    it("prefetchRelated loads many-to-many, reverse and forward relations in one query each", async () => {
      const before = log.length
      const rows = await db.query(Article).prefetchRelated("tags", "author").all()
      expect(log.length - before).toBe(3)
      expect(rows.map((r) => [r.slug, r.tags.map((t) => t.name), r.author.username])).toEqual([
        ["hello", ["sql", "ts"], "ann"],
        ["second", [], "ann"],
        ["bob-guide", ["sql"], "bob"],
      ])
      const users = await db.query(User).prefetchRelated("articles").orderBy("username").all()
      expect(
        users.map((u) => [u.username, (u.articles as Row<typeof Article>[]).map((a) => a.id)]),
      ).toEqual([
        ["ann", [1, 2]],
        ["bob", [3]],
        ["cy", []],
      ])
    })

    it("paginates by keyset with a primary-key tie-breaker", async () => {
      const articles = () => db.query(Article).values("id", "published")
      const first = await articles().paginate({ by: "-published", size: 1 })
      expect(first).toEqual({ rows: [{ id: 1, published: true }], next: { value: true, id: 1 } })
      const second = await articles().paginate({ by: "-published", size: 1, after: first.next })
      expect(log.at(-1)).toBe(
        sql(
          'SELECT "article"."id" AS "id", "article"."published" AS "published" FROM "article" WHERE "article"."published" < ? OR ("article"."published" = ? AND "article"."id" < ?) ORDER BY "article"."published" DESC, "article"."id" DESC LIMIT 2',
        ),
      )
      expect(second).toEqual({ rows: [{ id: 3, published: false }], next: { value: false, id: 3 } })
      const third = await db
        .query(Article)
        .paginate({ by: "-published", size: 1, after: second.next })
      expect([third.rows.map((r) => r.id), third.next]).toEqual([[2], undefined])
      const byId = await db
        .query(Article)
        .values("id")
        .paginate({ size: 2, after: { value: 1, id: 1 } })
      expect(byId).toEqual({ rows: [{ id: 2 }, { id: 3 }], next: undefined })
      await expect(
        db.query(Article).values("id").paginate({ by: "views", size: 1 }),
      ).rejects.toThrow(
        'Invalid query: paginate() needs "views" and "id" in values() to build the cursor.',
      )
    })

    it("iterates in primary-key chunks", async () => {
      const sizes: number[][] = []
      for await (const chunk of db.query(Article).chunks(2)) sizes.push(chunk.map((a) => a.id))
      expect(sizes).toEqual([[1, 2], [3]])
      const slugs: string[] = []
      for await (const a of db.query(Article).filter({ views: { gt: 3 } })) slugs.push(a.slug)
      expect(slugs).toEqual(["hello", "bob-guide"])
    })

    it("is immutable: builder calls never change the original query set", () => {
      const base = db.query(Article)
      const filtered = base.filter({ views: 1 })
      expect(base.toSql().parameters).toEqual([])
      expect(filtered.toSql().parameters).toEqual([1])
      expect(Object.isFrozen(base)).toBe(true)
    })

    it("rejects unknown fields and lookups with coded errors", () => {
      expect(() =>
        db
          .query(Article)
          .filter({ nope: 1 } as never)
          .toSql(),
      ).toThrow(
        'Model article has no field "nope". Use one of: id, title, slug, body, views, rating, price, published, status, meta, day, createdAt, authorId, editorId.',
      )
      expect(() =>
        db
          .query(Article)
          .filter({ views: { like: 1 } } as never)
          .toSql(),
      ).toThrow(
        'Unknown lookup "like" on field "views". Use one of: eq, ne, lt, lte, gt, gte, in, notIn, contains, icontains, startsWith, endsWith, isNull, range.',
      )
    })
  })
}
