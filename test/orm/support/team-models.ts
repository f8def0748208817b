import { field, model } from "../../../src/orm/index.js"

// A second model set for reverse relations and nested prefetch: every relation kind,
// each with its reverse side declared with field.reverse().

export const Company = model(
  "company",
  {
    name: field.string({ max: 30 }),
    staff: field.reverse(() => Person, "company"),
  },
  { ordering: ["name"] },
)

export const Person = model(
  "person",
  {
    name: field.string({ max: 30 }),
    company: field.foreignKey(() => Company, { null: true, onDelete: "setNull" }),
    badge: field.reverse(() => Badge, "person"),
    projects: field.reverse(() => Project, "members"),
    leads: field.reverse(() => Project, "lead"),
  },
  { ordering: ["name"] },
)

export const Badge = model("badge", {
  code: field.string({ max: 10 }),
  person: field.oneToOne(() => Person, { relatedName: "badge" }),
})

export const Project = model(
  "project",
  {
    title: field.string({ max: 30 }),
    lead: field.foreignKey(() => Person),
    members: field.manyToMany(() => Person),
    tasks: field.reverse(() => Task, "project"),
  },
  { ordering: ["-title"] },
)

export const Task = model(
  "task",
  {
    title: field.string({ max: 30 }),
    project: field.foreignKey(() => Project),
    // A reverse name without a declared field: works at runtime, unknown to the types.
    owner: field.foreignKey(() => Person, { null: true, relatedName: "ownedTasks" }),
  },
  { ordering: ["title"] },
)

export const TEAM_MODELS = [Company, Person, Badge, Project, Task]
