import { fileURLToPath } from "node:url"
import { connect, Migrator } from "truss/orm"
import { expect, it } from "vitest"
import { adminTables } from "./admin.js"
import { models } from "./models.js"

it("has migrations that match the models (makemigrations --check)", async () => {
  const db = await connect("sqlite::memory:")
  const dir = fileURLToPath(new URL("./migrations/", import.meta.url))
  expect(await new Migrator(db, { dir }).changes([...models, ...adminTables])).toEqual([])
  await db.close()
})
