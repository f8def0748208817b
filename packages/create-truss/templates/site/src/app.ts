import { connect } from "truss/orm"
import { settings } from "./settings.js"
import { createApp } from "./site.js"

/**
 * The app the `truss` CLI serves (`truss dev`, `truss start`) on the migrated database
 * (`npm run migrate`); tests build their own with createApp().
 */
export const app = createApp(await connect(settings.databaseUrl), {
  debug: !settings.production,
  secret: settings.secretKey,
  origin: settings.publicUrl,
})
