import { connect } from "truss/orm"
import { createApp } from "./api.js"
import { settings } from "./settings.js"

/** The app the `truss` CLI serves (`truss dev`, `truss start`); tests use createApp(). */
export const app = createApp(await connect(settings.databaseUrl), {
  debug: !settings.production,
  ...(settings.metricsToken ? { metricsToken: settings.metricsToken } : {}),
})
