import { User } from "truss/auth"
import { field, model } from "truss/orm"

/** The task table: each task belongs to a user. `migrations/` holds its history. */
export const TaskModel = model(
  "task",
  {
    title: field.string({ max: 200 }),
    notes: field.text({ default: "" }),
    priority: field.integer({ default: 3 }),
    done: field.boolean({ default: false }),
    // Nullable: tasks made before the demo had accounts stay in the table, unowned.
    owner: field.foreignKey(() => User, { null: true, onDelete: "cascade" }),
  },
  { ordering: ["-priority", "id"] },
)
