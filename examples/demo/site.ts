import { fileURLToPath } from "node:url"
import { type App, serveStatic } from "truss"
import { csrf } from "truss/security"
import { sessions } from "truss/sessions"
import { templates } from "truss/templates"
import { memoryTasks, type TaskRepository } from "./tasks/repository.js"
import { taskPages } from "./tasks/site.js"

/** Options for the server-rendered part of the demo. */
export interface SiteOptions {
  /** Where tasks live. @default memoryTasks() */
  tasks?: TaskRepository
  /** Signs the session cookie; use 32+ random characters from the environment. */
  sessionSecret?: string
}

// Only for running the demo locally and in its tests; server.ts asks for
// SESSION_SECRET in production.
const DEV_SECRET = "truss-demo-development-secret-not-for-production"

/**
 * Adds the pages: static files under /static, templates, and the task pages with
 * sessions and CSRF protection on their blueprint (the JSON API stays cookie-free).
 * `createApp` puts the security headers on every route.
 */
export function installSite(app: App, options: SiteOptions = {}): void {
  app.use(
    serveStatic({ root: fileURLToPath(new URL("./public/", import.meta.url)), prefix: "/static" }),
  )
  app.use(templates({ dir: fileURLToPath(new URL("./templates/", import.meta.url)) }))
  const pages = taskPages(options.tasks ?? memoryTasks(), [
    sessions({ secret: options.sessionSecret ?? DEV_SECRET }),
    csrf(),
  ])
  app.register(pages)
}
