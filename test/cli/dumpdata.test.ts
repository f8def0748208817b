import { readFile } from "node:fs/promises"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { connect, type Database } from "../../src/orm/index.js"
import { testDatabases } from "../support/databases.js"
import { cli, project, SRC, write } from "./support.js"

const MODELS_MODULE = JSON.stringify(resolve("test/cli/dumpdata-models.ts"))
const config = (url: string) => `import { defineConfig } from ${SRC.orm}
import { models } from ${MODELS_MODULE}
export default defineConfig({ database: ${JSON.stringify(url)}, models })
`
type Mod = typeof import("./dumpdata-models.js")

async function rows(db: Database, m: Mod) {
  const through = m.Item.meta.manyToMany[0]!.through!.model
  return {
    tags: await db.query(m.Tag).orderBy("id").all(),
    items: await db.query(m.Item).orderBy("id").all(),
    links: await db.query(through).orderBy("id").all(),
  }
}

const parse = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown)

describe("truss dumpdata / loaddata", async () => {
  const dbs = (await testDatabases()).filter(
    (d) => d.available && (d.name === "postgres" || d.name === "mariadb"),
  )
  let p: Awaited<ReturnType<typeof project>>
  let mod: Mod
  let source: Database
  let dump: string

  beforeAll(async () => {
    p = await project({})
    const sourceUrl = `sqlite:${join(p.dir, "source.db")}`
    await write(p.dir, "truss.config.ts", config(sourceUrl))
    expect((await cli(p.dir, ["makemigrations"])).code).toBe(0)
    expect((await cli(p.dir, ["migrate"])).code).toBe(0)
    mod = await import("./dumpdata-models.js")
    source = await connect(sourceUrl)
    const [red, blue] = await source.query(mod.Tag).bulkCreate([{ name: "red" }, { name: "blue" }])
    const base = {
      big: 9007199254740993n,
      price: "1234.50",
      slug: "first-item",
      ref: "0f8fad5b-d9cb-469f-a165-70867728950e",
      day: "2024-02-29",
      at: new Date("2024-02-29T23:59:58.123Z"),
      opens: "08:30:00",
    }
    const first = await source.query(mod.Item).create({
      ...base,
      title: 'Ünïcode "quotes" \\ and\nnewlines 🎉',
      label: "label",
      count: -7,
      ratio: 0.25,
      done: true,
      mail: "a@example.com",
      site: "https://example.com/x?y=1",
      data: { nested: [1, "two", { three: null }], flag: true },
      size: "l",
      blob: Buffer.from([0, 1, 2, 127, 128, 254, 255]),
    })
    await source.query(mod.Item).create({
      ...base,
      big: -1n,
      slug: "second",
      title: "child",
      data: [],
      parentId: first.id,
    } as never)
    // A gap in the keys, as after a delete: ids must be kept, not renumbered.
    const third = await source
      .query(mod.Item)
      .create({ ...base, slug: "third", title: "gone", data: 1 })
    await source.query(mod.Item).filter({ id: third.id }).delete()
    await source.query(mod.Item).create({ ...base, slug: "fourth", title: "after gap", data: "s" })
    await source.query(mod.Item).related(first.id, "tags").add(red!.id, blue!.id)
    const r = await cli(p.dir, ["dumpdata", "-o", "dump.jsonl"])
    expect(r.out).toEqual(["Dumped 7 rows (dd_item 3, dd_tag 2, dd_item_tags 2) to dump.jsonl."])
    dump = await readFile(join(p.dir, "dump.jsonl"), "utf8")
  })
  afterAll(async () => {
    await source.close()
    await p.remove()
  })

  it("writes one portable JSON line per row, referenced models first (through tables last)", () => {
    const lines = dump
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => [l.model, l.pk])).toEqual([
      ["dd_item", 1],
      ["dd_item", 2],
      ["dd_item", 4],
      ["dd_tag", 1],
      ["dd_tag", 2],
      ["dd_item_tags", 1],
      ["dd_item_tags", 2],
    ])
    expect(lines[0].fields).toEqual({
      title: 'Ünïcode "quotes" \\ and\nnewlines 🎉',
      label: "label",
      count: -7,
      big: "9007199254740993",
      ratio: 0.25,
      price: "1234.50",
      done: true,
      mail: "a@example.com",
      site: "https://example.com/x?y=1",
      slug: "first-item",
      ref: "0f8fad5b-d9cb-469f-a165-70867728950e",
      day: "2024-02-29",
      at: "2024-02-29T23:59:58.123Z",
      opens: "08:30:00",
      data: { nested: [1, "two", { three: null }], flag: true },
      size: "l",
      blob: "AAECf4D+/w==",
      parentId: null,
    })
  })

  it("prints to stdout and dumps only the named models", async () => {
    const r = await cli(p.dir, ["dumpdata", "dd_tag"])
    expect(r.out).toEqual(dump.split("\n").slice(3, 5))
    expect((await cli(p.dir, ["dumpdata", "nope"])).err).toEqual([
      'TRUSS_ERR_CLI_UNKNOWN_MODEL No model "nope" in truss.config.ts (models: dd_item, dd_tag, dd_item_tags). Use a model name as given to model().',
    ])
  })

  const targets = ["sqlite", ...dbs.map((d) => d.name)]
  for (const name of targets) {
    it(`${name}: loaddata restores every row and field, row for row, and keys keep counting`, async () => {
      const target = name === "sqlite" ? undefined : dbs.find((d) => d.name === name)
      const opened = target ? await target.open() : undefined
      const url = opened?.url ?? `sqlite:${join(p.dir, "restored.db")}`
      const dir = join(p.dir, name)
      await write(dir, "truss.config.ts", config(url))
      await write(dir, "migrations/.keep", "")
      const { cp } = await import("node:fs/promises")
      await cp(join(p.dir, "migrations"), join(dir, "migrations"), { recursive: true })
      const db = opened?.db ?? (await connect(url))
      try {
        expect((await cli(dir, ["migrate"])).code).toBe(0)
        const r = await cli(dir, ["loaddata", join(p.dir, "dump.jsonl")])
        expect(r).toEqual({
          code: 0,
          out: ["Installed 7 rows (dd_item 3, dd_tag 2, dd_item_tags 2) from 1 file."],
          err: [],
        })
        expect(await rows(db, mod)).toEqual(await rows(source, mod))
        // The restored database dumps the same lines (PostgreSQL's jsonb reorders keys).
        await cli(dir, ["dumpdata", "-o", "again.jsonl"])
        expect(parse(await readFile(join(dir, "again.jsonl"), "utf8"))).toEqual(parse(dump))
        // Sequences moved past the loaded keys: a new row gets the next id.
        const next = await db.query(mod.Tag).create({ name: "green" })
        expect(next.id).toBe(3)
      } finally {
        if (opened) await opened.drop()
        else await db.close()
      }
    })
  }

  it("names the file and line of a bad fixture and loads nothing from it", async () => {
    const good = JSON.stringify({ model: "dd_tag", pk: 50, fields: { name: "fifty" } })
    await write(p.dir, "bad.jsonl", `${good}\n{"model": "dd_tag"}\n`)
    const dir = join(p.dir, "sqlite")
    const r = await cli(dir, ["loaddata", join(p.dir, "bad.jsonl")])
    const restored = await connect(`sqlite:${join(p.dir, "restored.db")}`)
    expect(await restored.query(mod.Tag).filter({ id: 50 }).count()).toBe(0)
    await restored.close()
    expect(r.err).toEqual([
      `TRUSS_ERR_CLI_BAD_FIXTURE ${join(p.dir, "bad.jsonl")}:2 is not a truss dumpdata line: model or fields is missing. Each line must be {"model": "<name>", "fields": {...}} as truss dumpdata writes it.`,
    ])
  })
})
