import { readFileSync } from "node:fs"
import vm from "node:vm"
import { describe, expect, it } from "vitest"
import { testConduit } from "./test-app.js"

// RealWorld's own API tests: api/Conduit.postman_collection.json from gothinkster/realworld
// (at 747190e, the commit of spec/openapi.yml), evaluated in node:vm.
// Download it and run `CONDUIT_POSTMAN=path/to/collection.json npx vitest run examples/realworld`;
// or run the original with newman against a server: APIURL=http://localhost:3000/api api/run-api-tests.sh
const COLLECTION = process.env.CONDUIT_POSTMAN

interface Item {
  name: string
  item?: Item[]
  request: {
    method: string
    url: string | { raw: string }
    header?: { key: string; value: string }[]
    body?: { raw?: string }
  }
  event?: { listen: string; script: { exec: string[] } }[]
}

describe.skipIf(COLLECTION === undefined)(
  "RealWorld's Postman collection (CONDUIT_POSTMAN)",
  () => {
    it("passes every assertion of every request, in order", async () => {
      const { app } = await testConduit()
      const stamp = Date.now().toString(36)
      const vars: Record<string, string> = {
        APIURL: "http://localhost/api",
        USERNAME: `u${stamp}`,
        EMAIL: `u${stamp}@mail.com`,
        PASSWORD: "password",
      }
      const fill = (s: string) => s.replace(/\{\{(\w+)\}\}/g, (_, k: string) => vars[k] ?? "")
      const failures: string[] = []
      let assertions = 0
      const run = async (items: Item[]): Promise<void> => {
        for (const it of items) {
          if (it.item) {
            await run(it.item)
            continue
          }
          const { method, url, header = [], body } = it.request
          const headers = Object.fromEntries(header.map((h) => [h.key, fill(h.value)]))
          const res = await app.request(fill(typeof url === "string" ? url : url.raw), {
            method,
            headers,
            body: body?.raw ? fill(body.raw) : undefined,
          })
          const text = await res.text()
          const tests: Record<string, boolean> = {}
          const pm = {
            globals: {
              set: (k: string, v: unknown) => (vars[k] = String(v)),
              get: (k: string) => vars[k],
            },
          }
          const sandbox = {
            tests,
            pm,
            responseBody: text,
            responseCode: { code: res.status },
            environment: {},
            JSON,
            Array,
            Number,
          }
          for (const e of it.event ?? [])
            if (e.listen === "test") vm.runInNewContext(e.script.exec.join("\n"), sandbox)
          assertions += Object.keys(tests).length
          for (const [name, ok] of Object.entries(tests))
            if (!ok) failures.push(`${it.name} (${res.status}): ${name}`)
        }
      }
      await run((JSON.parse(readFileSync(COLLECTION ?? "", "utf8")) as { item: Item[] }).item)
      expect(failures).toEqual([])
      expect(assertions).toBe(311) // the collection at 747190e, the commit of openapi.yml
    })
  },
)
