import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { TrussError } from "../../src/errors.js"
import { type Database, F } from "../../src/orm/index.js"
import { sqlFor, sqlKey, testDatabases } from "../support/databases.js"
import { Article, Tag, User } from "./support/models.js"
import { seed } from "./support/seed.js"

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(`${target.name}: writes`, () => {
    const sql = (s: string) => sqlFor(target.name, s)
    const noReturning = target.name === "mysql-no-returning"
    let db: Database
    let drop: () => Promise<void>
    const log: { sql: string; parameters: readonly unknown[] }[] = []

    beforeAll(async () => {
      ;({ db, drop } = await target.open({
        onQuery: (e) => log.push({ sql: e.sql, parameters: e.parameters }),
      }))
      await seed(db)
    })
    afterAll(() => drop())

    it("inserts every column with defaults filled and returns the stored row", async () => {
      const tag = await db.query(Tag).create({ name: "new" })
      const insert = {
        sqlite: 'INSERT INTO "tag" ("name") VALUES (?) RETURNING "id", "name"',
        postgres: 'INSERT INTO "tag" ("name") VALUES ($1) RETURNING "id", "name"',
        mariadb: "INSERT INTO `tag` (`name`) VALUES (?) RETURNING `id`, `name`",
        "mysql-no-returning": "INSERT INTO `tag` (`name`) VALUES (?)",
      }[sqlKey(target)]
      const readBack = [
        { sql: "SELECT `id`, `name` FROM `tag` WHERE `id` IN (?)", parameters: [3] },
      ]
      expect(log.slice(noReturning ? -2 : -1)).toEqual([
        { sql: insert, parameters: ["new"] },
        ...(noReturning ? readBack : []),
      ])
      expect(tag).toEqual({ id: 3, name: "new" })
    })

    it("rejects invalid input with field-level messages before touching the database", async () => {
      const before = log.length
      const err = await db
        .query(Article)
        .create({
          title: "x".repeat(201),
          slug: "bad slug",
          authorId: 1,
          status: "gone" as "draft",
        })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TrussError)
      expect(err).toMatchObject({
        code: "TRUSS_ERR_ORM_VALIDATION",
        status: 422,
        message:
          "Invalid article: title: Must be at most 200 characters.; slug: Must contain only letters, digits, hyphens and underscores.; status: Must be one of: draft, live.. Fix the listed fields (see the error's extensions.errors).",
        extensions: {
          errors: [
            { field: "title", message: "Must be at most 200 characters." },
            {
              field: "slug",
              message: "Must contain only letters, digits, hyphens and underscores.",
            },
            { field: "status", message: "Must be one of: draft, live." },
          ],
        },
      })
      expect(log.length).toBe(before)
      const missing = await db
        .query(Article)
        .create({} as never)
        .catch((e: TrussError) => e.extensions)
      expect(missing).toEqual({
        errors: [
          { field: "title", message: "This field is required." },
          { field: "slug", message: "This field is required." },
          { field: "authorId", message: "This field is required." },
        ],
      })
    })

    it("updates atomically with F expressions and reports the row count", async () => {
      const n = await db
        .query(Article)
        .filter({ slug: "hello" })
        .update({ views: F("views").add(5) })
      expect(log.at(-1)).toEqual({
        sql: sql(
          'UPDATE "article" SET "views" = ("article"."views" + ?) WHERE "article"."slug" = ?',
        ),
        parameters: [5, "hello"],
      })
      expect(n).toBe(1)
      expect((await db.query(Article).get({ slug: "hello" })).views).toBe(15)
    })

    it("updates through a relation filter with a primary-key subquery", async () => {
      const n = await db
        .query(Article)
        .filter({ author: { username: "ann" } })
        .update({ published: true })
      const where = {
        sqlite:
          'WHERE "article"."id" IN (SELECT "article"."id" FROM "article" INNER JOIN "user" AS "author" ON "author"."id" = "article"."author_id" WHERE "author"."username" = ?)',
        postgres:
          'WHERE "article"."id" IN (SELECT "article"."id" FROM "article" INNER JOIN "user" AS "author" ON "author"."id" = "article"."author_id" WHERE "author"."username" = $2)',
        mariadb:
          "WHERE `article`.`id` IN (SELECT `id` FROM (SELECT `article`.`id` FROM `article` INNER JOIN `user` AS `author` ON `author`.`id` = `article`.`author_id` WHERE `author`.`username` = ?) AS `sub`)",
      }[target.sql]
      expect(log.at(-1)?.sql).toBe(`${sql('UPDATE "article" SET "published" = ? ')}${where}`)
      expect(n).toBe(2)
      expect(await db.query(Article).filter({ published: true }).count()).toBe(2)
    })

    it("getOrCreate finds or creates; updateOrCreate updates or creates", async () => {
      const [found, created1] = await db.query(Tag).getOrCreate({ name: "ts" })
      expect([found.name, created1]).toEqual(["ts", false])
      const [made, created2] = await db.query(Tag).getOrCreate({ name: "go" })
      expect([made.name, created2]).toEqual(["go", true])
      const [u1, c1] = await db.query(User).updateOrCreate({ username: "cy" }, { karma: 7 })
      expect([u1.username, u1.karma, c1]).toEqual(["cy", 7, false])
      const [u2, c2] = await db.query(User).updateOrCreate({ username: "dee" }, { karma: 1 })
      expect([u2.username, u2.karma, c2]).toEqual(["dee", 1, true])
    })

    it("bulk creates in batches and bulk updates by primary key", async () => {
      const rows = await db.query(Tag).bulkCreate(
        ["a", "b", "c", "d", "e"].map((name) => ({ name: `bulk-${name}` })),
        { batchSize: 2 },
      )
      expect(rows.map((r) => r.name)).toEqual(["bulk-a", "bulk-b", "bulk-c", "bulk-d", "bulk-e"])
      expect(new Set(rows.map((r) => r.id)).size).toBe(5)
      const changed = rows.slice(0, 2).map((r) => ({ ...r, name: r.name.toUpperCase() }))
      expect(await db.query(Tag).bulkUpdate(changed, ["name"])).toBe(2)
      const names = await db
        .query(Tag)
        .filter({ name: { startsWith: "BULK" } })
        .values("name")
        .all()
      expect(names).toEqual([{ name: "BULK-A" }, { name: "BULK-B" }])
      expect(
        await db
          .query(Tag)
          .filter({ name: { startsWith: "bulk-" } })
          .delete(),
      ).toBe(3)
    })

    it("saves a changed row and keeps the database's unique constraint", async () => {
      const tag = await db.query(Tag).get({ name: "go" })
      const saved = await db.query(Tag).save({ ...tag, name: "golang" })
      expect(saved).toEqual({ id: tag.id, name: "golang" })
      expect((await db.query(Tag).get({ id: tag.id })).name).toBe("golang")
      await expect(db.query(Tag).create({ name: "ts" })).rejects.toMatchObject({
        code: "TRUSS_ERR_ORM_INTEGRITY",
        message:
          "Duplicate value for tag.name: another row already has it. Use a different value, or update the existing row instead.",
      })
    })

    it("cascades deletes and sets null as the foreign keys declare", async () => {
      const bob = await db.query(User).get({ username: "bob" })
      expect(await db.query(User).filter({ id: bob.id }).delete()).toBe(1)
      expect(log.at(-1)).toEqual({
        sql: sql('DELETE FROM "user" WHERE "user"."id" = ?'),
        parameters: [bob.id],
      })
      expect(await db.query(Article).filter({ slug: "bob-guide" }).exists()).toBe(false)
      expect((await db.query(Article).get({ slug: "second" })).editorId).toBe(null)
    })

    it("links, unlinks and replaces many-to-many rows", async () => {
      const hello = await db.query(Article).get({ slug: "hello" })
      const tags = db.query(Article).related(hello.id, "tags")
      const golang = await db.query(Tag).get({ name: "golang" })
      await tags.add(golang, golang.id)
      expect((await tags.query().all()).map((t) => t.name)).toEqual(["golang", "sql", "ts"])
      await tags.remove(golang)
      await tags.set([golang.id])
      expect((await tags.query().all()).map((t) => t.name)).toEqual(["golang"])
      await tags.clear()
      expect(await tags.query().count()).toBe(0)
    })

    it("upserts in one statement: inserts, then updates on the unique key", async () => {
      const [first] = [await db.query(Tag).upsert({ name: "upsert-me" }, { conflict: ["name"] })]
      // Without RETURNING the row is read back by the id LAST_INSERT_ID(`id`) reports.
      const inserted = () => log.at(noReturning ? -2 : -1)?.sql
      expect(inserted()).toBe(
        {
          sqlite:
            'INSERT INTO "tag" ("name") VALUES (?) ON CONFLICT ("name") DO NOTHING RETURNING "id", "name"',
          postgres:
            'INSERT INTO "tag" ("name") VALUES ($1) ON CONFLICT ("name") DO NOTHING RETURNING "id", "name"',
          mariadb:
            "INSERT INTO `tag` (`name`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = `id` RETURNING `id`, `name`",
          "mysql-no-returning":
            "INSERT INTO `tag` (`name`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = LAST_INSERT_ID(`id`)",
        }[sqlKey(target)],
      )
      if (noReturning)
        expect(log.at(-1)).toEqual({
          sql: "SELECT `id`, `name` FROM `tag` WHERE `id` IN (?)",
          parameters: [first.id],
        })
      const again = await db.query(Tag).upsert({ name: "upsert-me" }, { conflict: ["name"] })
      expect(again).toEqual(first)
      const user = await db
        .query(User)
        .upsert({ username: "ann", karma: 99 }, { conflict: ["username"] })
      expect(inserted()).toBe(
        noReturning
          ? "INSERT INTO `user` (`username`, `email`, `karma`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `karma` = VALUES(`karma`), `id` = LAST_INSERT_ID(`id`)"
          : sql(
              target.name === "mariadb"
                ? 'INSERT INTO "user" ("username", "email", "karma") VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "karma" = VALUES("karma") RETURNING "id", "username", "email", "karma"'
                : 'INSERT INTO "user" ("username", "email", "karma") VALUES (?, ?, ?) ON CONFLICT ("username") DO UPDATE SET "karma" = "excluded"."karma" RETURNING "id", "username", "email", "karma"',
            ),
      )
      if (noReturning)
        expect(log.at(-1)).toEqual({
          sql: "SELECT `id`, `username`, `email`, `karma` FROM `user` WHERE `id` IN (?)",
          parameters: [1],
        })
      expect([user.id, user.username, user.karma]).toEqual([1, "ann", 99])
      expect(await db.query(User).filter({ username: "ann" }).count()).toBe(1)
    })
  })
}
