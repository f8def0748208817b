import { Blueprint, type Context, HttpError, type Middleware } from "truss"
import type { FormState } from "truss/forms"
import type { Task, TaskRepository } from "./repository.js"
import { taskForm } from "./task-form.js"

function notFound(id: string): HttpError {
  return new HttpError(404, `No task with id ${id}`, { code: "DEMO_TASK_NOT_FOUND" })
}

/**
 * The server-rendered task pages: list, create, edit, delete, with validation
 * errors shown next to the fields and a flash message after each change.
 */
export function taskPages(
  repository: (c: Context) => TaskRepository,
  middleware: Middleware[] = [],
): Blueprint {
  const site = new Blueprint({ prefix: "/tasks", name: "tasks" })
  site.use(...middleware)

  function page(c: Context, form: FormState, task: Task | undefined, status?: number) {
    const action = task ? c.url("tasks.update", { id: task.id }) : c.url("tasks.create")
    const heading = task ? `Edit “${task.title}”` : "New task"
    return c.render("tasks/form.liquid", { form, action, heading }, status)
  }

  site.get("", { name: "list" }, async (c) =>
    c.render("tasks/list.liquid", { tasks: await repository(c).list() }),
  )

  site.get("/new", { name: "new" }, (c) => page(c, taskForm.initial({ priority: 3 }), undefined))

  site.post("", { name: "create" }, async (c) => {
    const result = await taskForm.parse(c)
    if (!result.ok) return page(c, result, undefined, 422)
    const task = await repository(c).create(result.data)
    c.flash("success", `Created “${task.title}”.`)
    return c.redirect(c.url("tasks.list"), 303)
  })

  site.get("/:id(\\d+)/edit", { name: "edit" }, async (c) => {
    const task = await repository(c).get(Number(c.params.id))
    if (!task) throw notFound(c.params.id)
    return page(c, taskForm.initial({ ...task }), task)
  })

  site.post("/:id(\\d+)", { name: "update" }, async (c) => {
    const tasks = repository(c)
    const task = await tasks.get(Number(c.params.id))
    if (!task) throw notFound(c.params.id)
    const result = await taskForm.parse(c)
    if (!result.ok) return page(c, result, task, 422)
    const saved = await tasks.update(task.id, result.data)
    c.flash("success", `Saved “${saved?.title ?? task.title}”.`)
    return c.redirect(c.url("tasks.list"), 303)
  })

  site.post("/:id(\\d+)/delete", { name: "delete" }, async (c) => {
    const tasks = repository(c)
    const task = await tasks.get(Number(c.params.id))
    if (!task || !(await tasks.delete(task.id))) throw notFound(c.params.id)
    c.flash("info", `Deleted “${task.title}”.`)
    return c.redirect(c.url("tasks.list"), 303)
  })
  return site
}
