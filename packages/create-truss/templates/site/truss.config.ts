import { defineConfig } from "truss/orm"
import { models } from "./src/models.js"
import { settings } from "./src/settings.js"

/** What the `truss` CLI reads: the database, the models and the migrations folder. */
export default defineConfig({ database: settings.databaseUrl, models, migrations: "./migrations" })
