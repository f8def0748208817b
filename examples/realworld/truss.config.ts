// `npx tsx src/cli/bin.ts makemigrations --config examples/realworld/truss.config.ts`
// after a model change; review and commit the new file in migrations/.
import { mkdirSync } from "node:fs"
import { defineConfig } from "truss/orm"
import { adminTables } from "./admin.js"
import { DEFAULT_DATABASE } from "./database.js"
import { models } from "./models.js"

mkdirSync(new URL("./data/", import.meta.url), { recursive: true })

export default defineConfig({
  database: process.env.DATABASE_URL ?? DEFAULT_DATABASE,
  models: [...models, ...adminTables],
  migrations: "./migrations",
})
