import { describe, expectTypeOf, it } from "vitest"
import type { Database, FilterOf, PrefetchPath, Row } from "../../src/orm/index.js"
import { type Article, Tag, User } from "./support/models.js"
import { type Badge, Company, Person, type Project, Task } from "./support/team-models.js"

declare const db: Database

type PersonRow = Row<typeof Person>
type ProjectRow = Row<typeof Project>

describe("declared reverse relations", () => {
  it("types reverse foreign keys as lists, one-to-one reverses as a row or null", async () => {
    const users = await db.query(User).prefetchRelated("articles", "edited").all()
    expectTypeOf(users[0]!.articles).toEqualTypeOf<Row<typeof Article>[]>()
    expectTypeOf(users[0]!.edited).toEqualTypeOf<Row<typeof Article>[]>()
    const person = await db.query(Person).prefetchRelated("badge", "projects", "leads").get()
    expectTypeOf(person.badge).toEqualTypeOf<Row<typeof Badge> | null>()
    expectTypeOf(person.projects).toEqualTypeOf<ProjectRow[]>()
    expectTypeOf(person.leads).toEqualTypeOf<ProjectRow[]>()
    const tags = await db.query(Tag).prefetchRelated("articles").all()
    expectTypeOf(tags[0]!.articles).toEqualTypeOf<Row<typeof Article>[]>()
  })

  it("keeps reverse fields out of rows and create input", () => {
    expectTypeOf<PersonRow>().toEqualTypeOf<{
      id: number
      name: string
      companyId: number | null
    }>()
    expectTypeOf<Row<typeof Company>>().toEqualTypeOf<{ id: number; name: string }>()
  })

  it("rejects names that are not relations, and undeclared relatedNames", () => {
    // @ts-expect-error a scalar field
    db.query(Person).prefetchRelated("name")
    // @ts-expect-error a relatedName without field.reverse() is not typed
    db.query(Person).prefetchRelated("ownedTasks")
    // @ts-expect-error unknown second level
    db.query(Task).prefetchRelated("project.nope")
    // @ts-expect-error forward keys have no related() manager
    db.query(Task).related(1, "project")
  })

  it("types related() managers of reverse relations", async () => {
    const staff = await db.query(Company).related(1, "staff").query().all()
    expectTypeOf(staff).toEqualTypeOf<PersonRow[]>()
    const projects = await db.query(Person).related(1, "projects").query().first()
    expectTypeOf(projects).toEqualTypeOf<ProjectRow | undefined>()
  })

  it("types filters across reverse relations", () => {
    db.query(Company).filter({ staff: { projects: { title: "beta" } } })
    db.query(Person).filter({ badge: { code: { startsWith: "A" } } })
    expectTypeOf<FilterOf<typeof User>>().toHaveProperty("articles")
    // @ts-expect-error wrong value type across a reverse relation
    db.query(Company).filter({ staff: { name: 1 } })
  })
})

describe("nested prefetch paths", () => {
  it("nests rows along each path and merges paths that share a relation", async () => {
    const tasks = await db
      .query(Task)
      .prefetchRelated("project.members.company", "project.lead")
      .all()
    const project = tasks[0]!.project
    expectTypeOf(project.lead).toEqualTypeOf<PersonRow>()
    expectTypeOf(project.members[0]!.company).toEqualTypeOf<Row<typeof Company> | null>()
    expectTypeOf(project.title).toEqualTypeOf<string>()
    const companies = await db.query(Company).prefetchRelated("staff.projects.tasks").all()
    expectTypeOf(companies[0]!.staff[0]!.projects[0]!.tasks).toEqualTypeOf<Row<typeof Task>[]>()
  })

  it("lists the paths of three levels for autocompletion", () => {
    expectTypeOf<"staff" | "staff.badge" | "staff.projects.tasks">().toExtend<
      PrefetchPath<typeof Company>
    >()
    expectTypeOf<PrefetchPath<typeof Badge>>().toEqualTypeOf<
      | "person"
      | "person.company"
      | "person.badge"
      | "person.projects"
      | "person.leads"
      | `person.company.${"staff"}`
      | `person.badge.${"person"}`
      | `person.projects.${"lead" | "members" | "tasks"}`
      | `person.leads.${"lead" | "members" | "tasks"}`
    >()
  })

  it("types selectRelated rows extended by a prefetch below them", async () => {
    const people = await db
      .query(Person)
      .selectRelated("company")
      .prefetchRelated("company.staff")
      .all()
    expectTypeOf(people[0]!.company).toEqualTypeOf<
      (Row<typeof Company> & { staff: PersonRow[] }) | null
    >()
  })
})
