import { field, model } from "truss/orm"

/** The task table. `migrations/` holds its history; change both together. */
export const TaskModel = model(
  "task",
  {
    title: field.string({ max: 200 }),
    notes: field.text({ default: "" }),
    priority: field.integer({ default: 3 }),
    done: field.boolean({ default: false }),
  },
  { ordering: ["-priority", "id"] },
)
