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
 * Where tasks are kept. The pages only use this interface; `ormTasks()` keeps them
 * in the database through truss/orm.
 */
export interface TaskRepository {
  list(): Promise<Task[]>
  get(id: number): Promise<Task | undefined>
  create(input: TaskInput): Promise<Task>
  update(id: number, input: TaskInput): Promise<Task | undefined>
  delete(id: number): Promise<boolean>
}
