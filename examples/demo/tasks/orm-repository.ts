import type { Database } from "truss/orm"
import { TaskModel } from "./model.js"
import type { TaskRepository } from "./repository.js"

/** Tasks in the database through truss/orm. */
export function ormTasks(db: Database): TaskRepository {
  const tasks = () => db.query(TaskModel)
  return {
    list: () => tasks().all(),
    get: (id) => tasks().filter({ id }).first(),
    create: (input) => tasks().create(input),
    async update(id, input) {
      const changed = await tasks().filter({ id }).update(input)
      return changed === 0 ? undefined : tasks().filter({ id }).first()
    },
    delete: async (id) => (await tasks().filter({ id }).delete()) > 0,
  }
}
