/** A task as the pages show it. */
export interface Task {
  id: number
  title: string
  notes: string
  priority: number
  done: boolean
}

/** What the create and edit forms produce. */
export type TaskInput = Omit<Task, "id">

/**
 * Where tasks are kept. The pages only use this interface, so the store is one
 * file: `ormTasks()` (SQLite through truss/orm) for the server, `memoryTasks()` for
 * quick tests.
 */
export interface TaskRepository {
  list(): Promise<Task[]>
  get(id: number): Promise<Task | undefined>
  create(input: TaskInput): Promise<Task>
  update(id: number, input: TaskInput): Promise<Task | undefined>
  delete(id: number): Promise<boolean>
}

/** Tasks in a Map: gone when the process ends. */
export function memoryTasks(): TaskRepository {
  const tasks = new Map<number, Task>()
  let nextId = 1
  return {
    list: async () => [...tasks.values()].sort((a, b) => b.priority - a.priority || a.id - b.id),
    get: async (id) => tasks.get(id),
    async create(input) {
      const task = { ...input, id: nextId++ }
      tasks.set(task.id, task)
      return task
    },
    async update(id, input) {
      if (!tasks.has(id)) return undefined
      const task = { ...input, id }
      tasks.set(id, task)
      return task
    },
    delete: async (id) => tasks.delete(id),
  }
}
