// The demo's CLI settings: `npx truss makemigrations --config examples/demo/truss.config.ts`
// after a model change, then review and commit the new file in migrations/.
import { mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { defineConfig } from "truss/orm"
import { models } from "./models.js"

/** The SQLite file `npm start` uses (git-ignored). */
export const DEMO_DATABASE = fileURLToPath(new URL("./data/demo.db", import.meta.url))
mkdirSync(fileURLToPath(new URL("./data/", import.meta.url)), { recursive: true })

export default defineConfig({
  database: process.env.DATABASE_URL ?? `sqlite:${DEMO_DATABASE}`,
  models,
  migrations: "./migrations",
})
