import type { Database } from "truss/orm"
import { TaskModel } from "./model.js"
import type { Task, TaskRepository } from "./repository.js"

/** One user's tasks in the database through truss/orm: another user's are not found. */
export function ormTasks(db: Database, ownerId: number): TaskRepository {
  const tasks = () => db.query(TaskModel).filter({ ownerId })
  const plain = ({ id, title, notes, priority, done }: Task): Task => ({
    id,
    title,
    notes,
    priority,
    done,
  })
  const get = async (id: number) => {
    const task = await tasks().filter({ id }).first()
    return task && plain(task)
  }
  return {
    list: async () => (await tasks().all()).map(plain),
    get,
    create: async (input) => plain(await db.query(TaskModel).create({ ...input, ownerId })),
    async update(id, input) {
      const changed = await tasks().filter({ id }).update(input)
      return changed === 0 ? undefined : get(id)
    },
    delete: async (id) => (await tasks().filter({ id }).delete()) > 0,
  }
}
