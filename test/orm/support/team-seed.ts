import { createTables, type Database } from "../../../src/orm/index.js"
import { Badge, Company, Person, Project, Task, TEAM_MODELS } from "./team-models.js"

/** Three companies, four people, two badges, three projects and three tasks. */
export async function seedTeam(db: Database) {
  await createTables(db, TEAM_MODELS)
  const [acme, zeta, blank] = await db
    .query(Company)
    .bulkCreate([{ name: "acme" }, { name: "zeta" }, { name: "blank" }])
  const people = db.query(Person)
  const ann = await people.create({ name: "ann", companyId: acme!.id })
  const bob = await people.create({ name: "bob", companyId: acme!.id })
  const cy = await people.create({ name: "cy", companyId: zeta!.id })
  const dee = await people.create({ name: "dee" })
  await db.query(Badge).bulkCreate([
    { code: "A1", personId: ann.id },
    { code: "C1", personId: cy.id },
  ])
  const projects = db.query(Project)
  const alpha = await projects.create({ title: "alpha", leadId: ann.id })
  const beta = await projects.create({ title: "beta", leadId: cy.id })
  const gamma = await projects.create({ title: "gamma", leadId: dee.id })
  await projects.related(alpha.id, "members").add(ann, bob)
  await projects.related(beta.id, "members").add(bob, cy, dee)
  await db.query(Task).bulkCreate([
    { title: "design", projectId: alpha.id, ownerId: ann.id },
    { title: "build", projectId: alpha.id, ownerId: bob.id },
    { title: "test", projectId: beta.id },
  ])
  return { acme: acme!, zeta: zeta!, blank: blank!, ann, bob, cy, dee, alpha, beta, gamma }
}
