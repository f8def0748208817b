import { fileURLToPath } from "node:url"
import { type App, serveStatic } from "truss"
import { csrf } from "truss/security"
import { sessions } from "truss/sessions"
import { templates } from "truss/templates"
import type { DemoOptions } from "./app.js"
import { ormTasks } from "./tasks/orm-repository.js"
import { taskPages } from "./tasks/site.js"

// Only for running the demo locally and in its tests; server.ts asks for
// SESSION_SECRET in production.
const DEV_SECRET = "truss-demo-development-secret-not-for-production"

/**
 * Adds the pages: static files under /static, templates, and the task pages with
 * sessions and CSRF protection on their blueprint (the JSON API stays cookie-free).
 * `createApp` puts the security headers on every route.
 */
export function installSite(app: App, options: DemoOptions): void {
  app.use(
    serveStatic({ root: fileURLToPath(new URL("./public/", import.meta.url)), prefix: "/static" }),
  )
  app.use(templates({ dir: fileURLToPath(new URL("./templates/", import.meta.url)) }))
  const pages = taskPages(ormTasks(options.db), [
    sessions({ secret: options.sessionSecret ?? DEV_SECRET }),
    csrf(),
  ])
  app.register(pages)
}
