import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Database } from "../../src/orm/index.js"
import { schemaDifferences } from "../../src/orm/migrations/introspect.js"
import { modelsState } from "../../src/orm/migrations/state.js"
import { sqlFor, testDatabases } from "../support/databases.js"
import { Company, Person, Project, Task, TEAM_MODELS } from "./support/team-models.js"
import { seedTeam } from "./support/team-seed.js"

const names = (rows: readonly { name: string }[]) => rows.map((r) => r.name)

for (const target of await testDatabases()) {
  describe.skipIf(!target.available)(
    `${target.name}: reverse relations and nested prefetch`,
    () => {
      const sql = (s: string) => sqlFor(target.name, s)
      let db: Database
      let drop: () => Promise<void>
      let seeded: Awaited<ReturnType<typeof seedTeam>>
      const log: string[] = []
      /** The statements `run` sends. */
      async function statements<T>(run: () => Promise<T>): Promise<[T, string[]]> {
        const before = log.length
        const result = await run()
        return [result, log.slice(before)]
      }

      beforeAll(async () => {
        ;({ db, drop } = await target.open({ onQuery: (e) => log.push(e.sql) }))
        seeded = await seedTeam(db)
      })
      afterAll(() => drop())

      it("creates no column for a reverse field (the live schema equals the models)", async () => {
        const state = modelsState(TEAM_MODELS)
        expect(state.company?.columns.map((c) => c.name)).toEqual(["id", "name"])
        expect(state.person?.columns.map((c) => c.name)).toEqual(["id", "name", "company_id"])
        expect(await schemaDifferences(db, state)).toEqual([])
      })

      it("prefetches reverse foreign keys, reverse many-to-many and their reverse, one query per level", async () => {
        const [rows, sent] = await statements(() =>
          db.query(Company).prefetchRelated("staff.projects.tasks").all(),
        )
        expect(sent).toHaveLength(4)
        const summary = rows.map((c) => [
          c.name,
          c.staff.map((p) => [
            p.name,
            p.projects.map((j) => [j.title, j.tasks.map((t) => t.title)]),
          ]),
        ])
        expect(summary).toEqual([
          [
            "acme",
            [
              ["ann", [["alpha", ["build", "design"]]]],
              [
                "bob",
                [
                  ["beta", ["test"]],
                  ["alpha", ["build", "design"]],
                ],
              ],
            ],
          ],
          ["blank", []],
          ["zeta", [["cy", [["beta", ["test"]]]]]],
        ])
      })

      it("prefetches forward keys then many-to-many then forward keys, and shares a first level", async () => {
        const [rows, sent] = await statements(() =>
          db.query(Task).prefetchRelated("project.members.company", "project.lead").all(),
        )
        expect(sent).toEqual([
          sql(
            'SELECT "task"."id", "task"."title", "task"."project_id", "task"."owner_id" FROM "task" ORDER BY "task"."title" ASC',
          ),
          sql(
            'SELECT "project"."id", "project"."title", "project"."lead_id" FROM "project" WHERE "project"."id" IN (?, ?) ORDER BY "project"."title" DESC',
          ),
          sql(
            'SELECT "project_members"."id", "project_members"."project_id", "project_members"."person_id", "person"."id" AS "person.id", "person"."name" AS "person.name", "person"."company_id" AS "person.company_id" FROM "project_members" INNER JOIN "person" AS "person" ON "person"."id" = "project_members"."person_id" WHERE "project_members"."project_id" IN (?, ?) ORDER BY "person"."name" ASC, "project_members"."id" ASC',
          ),
          sql(
            'SELECT "company"."id", "company"."name" FROM "company" WHERE "company"."id" IN (?, ?) ORDER BY "company"."name" ASC',
          ),
          sql(
            'SELECT "person"."id", "person"."name", "person"."company_id" FROM "person" WHERE "person"."id" IN (?, ?) ORDER BY "person"."name" ASC',
          ),
        ])
        expect(
          rows.map((t) => [
            t.title,
            t.project.title,
            t.project.lead.name,
            t.project.members.map((m) => [m.name, m.company?.name ?? null]),
          ]),
        ).toEqual([
          [
            "build",
            "alpha",
            "ann",
            [
              ["ann", "acme"],
              ["bob", "acme"],
            ],
          ],
          [
            "design",
            "alpha",
            "ann",
            [
              ["ann", "acme"],
              ["bob", "acme"],
            ],
          ],
          [
            "test",
            "beta",
            "cy",
            [
              ["bob", "acme"],
              ["cy", "zeta"],
              ["dee", null],
            ],
          ],
        ])
      })

      it("loads a one-to-one reverse as a row or null, and a reverse through a nullable key", async () => {
        const [rows, sent] = await statements(() =>
          db.query(Person).prefetchRelated("badge", "company.staff", "leads").all(),
        )
        expect(sent).toHaveLength(5)
        expect(
          rows.map((p) => [
            p.name,
            p.badge?.code ?? null,
            p.company ? names(p.company.staff) : null,
            p.leads.map((j) => j.title),
          ]),
        ).toEqual([
          ["ann", "A1", ["ann", "bob"], ["alpha"]],
          ["bob", null, ["ann", "bob"], []],
          ["cy", "C1", ["cy"], ["beta"]],
          ["dee", null, null, ["gamma"]],
        ])
      })

      it("reuses a selectRelated join for the first level of a prefetch path", async () => {
        const [rows, sent] = await statements(() =>
          db
            .query(Person)
            .filter({ name: { in: ["ann", "dee"] } })
            .selectRelated("company")
            .prefetchRelated("company.staff")
            .all(),
        )
        expect(sent).toHaveLength(2)
        expect(rows.map((p) => [p.name, p.company ? names(p.company.staff) : null])).toEqual([
          ["ann", ["ann", "bob"]],
          ["dee", null],
        ])
      })

      it("loads a get() row's nested relations and an empty result with no extra query", async () => {
        const [ann] = await statements(() =>
          db.query(Person).prefetchRelated("projects.tasks").get({ id: seeded.ann.id }),
        )
        expect(ann.projects.map((j) => [j.title, j.tasks.map((t) => t.title)])).toEqual([
          ["alpha", ["build", "design"]],
        ])
        const [none, sent] = await statements(() =>
          db.query(Person).filter({ name: "nobody" }).prefetchRelated("projects.tasks").all(),
        )
        expect([none, sent.length]).toEqual([[], 1])
      })

      it("still prefetches a relatedName the model does not declare", async () => {
        const rows = await db
          .query(Person)
          .prefetchRelated("ownedTasks" as never)
          .all()
        const owned = rows.map((p) => [
          p.name,
          (p as unknown as { ownedTasks: { title: string }[] }).ownedTasks.map((t) => t.title),
        ])
        expect(owned).toEqual([
          ["ann", ["design"]],
          ["bob", ["build"]],
          ["cy", []],
          ["dee", []],
        ])
      })

      it("rejects a path through an unknown relation with the level that has none", async () => {
        await expect(
          db
            .query(Task)
            .prefetchRelated("project.nope" as never)
            .all(),
        ).rejects.toMatchObject({
          code: "TRUSS_ERR_ORM_INVALID_QUERY",
          message:
            'Invalid query: "project.nope": project (project) has no relation "nope" to prefetch.',
        })
      })

      it("filters across declared reverse relations with EXISTS", async () => {
        const qs = db
          .query(Person)
          .filter({ badge: { code: "C1" } })
          .values("name")
        expect(qs.toSql()).toEqual({
          sql: sql(
            'SELECT "person"."name" AS "name" FROM "person" WHERE EXISTS (SELECT 1 FROM "badge" AS "person__badge" WHERE "person__badge"."person_id" = "person"."id" AND "person__badge"."code" = ?) ORDER BY "person"."name" ASC',
          ),
          parameters: ["C1"],
        })
        expect(await qs.all()).toEqual([{ name: "cy" }])
        const viaProjects = db.query(Company).filter({ staff: { projects: { title: "beta" } } })
        expect(names(await viaProjects.all())).toEqual(["acme", "zeta"])
        expect(
          names(
            await db
              .query(Company)
              .exclude({ staff: { name: "ann" } })
              .all(),
          ),
        ).toEqual(["blank", "zeta"])
      })

      it("manages rows through a reverse relation with related()", async () => {
        const staff = await db.query(Company).related(seeded.acme.id, "staff").query().all()
        expect(names(staff)).toEqual(["ann", "bob"])
        const projects = db.query(Person).related(seeded.dee.id, "projects")
        await projects.add(seeded.alpha.id)
        expect((await projects.query().all()).map((j) => j.title)).toEqual(["beta", "alpha"])
        await projects.remove(seeded.alpha)
        expect(await db.query(Project).related(seeded.alpha.id, "members").query().count()).toBe(2)
      })
    },
  )
}
