import { readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { load } from "js-yaml"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  composeFile,
  DOCKERFILE,
  DOCKERIGNORE,
  toYaml,
  type YamlValue,
} from "../../src/cli/deploy/index.js"
import { cli, project } from "./support.js"

interface Service {
  image?: string
  build?: string
  ports?: string[]
  environment?: Record<string, string>
  deploy?: { replicas: number }
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  command?: string[]
  volumes?: string[]
}

describe("truss deploy init", () => {
  let p: Awaited<ReturnType<typeof project>>
  beforeAll(async () => {
    p = await project({})
  })
  afterAll(() => p.remove())

  it("writes Dockerfile, .dockerignore, compose.yaml and Caddyfile", async () => {
    const r = await cli(p.dir, ["deploy", "init", "--replicas", "3", "--domain", "example.com"])
    expect(r).toEqual({
      code: 0,
      out: [
        "wrote   Dockerfile",
        "wrote   .dockerignore",
        "wrote   compose.yaml",
        "wrote   Caddyfile",
        'Next: set POSTGRES_PASSWORD and SESSION_SECRET, new App({ trustProxy: 1, allowedHosts: ["example.com"] }), then docker compose up --build.',
      ],
      err: [],
    })
    expect(await readFile(join(p.dir, "Dockerfile"), "utf8")).toBe(
      await readFile("Dockerfile", "utf8"),
    )
    expect(await readFile(join(p.dir, ".dockerignore"), "utf8")).toBe(DOCKERIGNORE)
    expect(await readFile(join(p.dir, "Caddyfile"), "utf8")).toContain("dynamic a app 3000")
  })

  it("compose.yaml parses (js-yaml) to the proxy, N replicas, migrate, PostgreSQL and Redis", async () => {
    const doc = load(await readFile(join(p.dir, "compose.yaml"), "utf8")) as {
      services: Record<string, Service>
      volumes: Record<string, unknown>
    }
    expect(doc).toEqual(composeFile({ replicas: 3, domain: "example.com" }))
    const { proxy, app, migrate, db, redis } = doc.services
    expect(Object.keys(doc.services)).toEqual(["proxy", "app", "migrate", "db", "redis"])
    expect(proxy?.image).toBe("caddy:2")
    expect(proxy?.ports).toEqual(["80:80", "443:443", "443:443/udp"])
    expect(proxy?.environment).toEqual({ DOMAIN: "example.com" })
    expect(proxy?.depends_on).toEqual({ app: { condition: "service_healthy" } })
    // Only the proxy publishes ports: the replicas are reached through it.
    expect(app?.ports).toBeUndefined()
    expect(app?.build).toBe(".")
    expect(app?.deploy).toEqual({ replicas: 3 })
    expect(app?.environment?.DATABASE_URL).toBe(
      `postgres://app:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@db:5432/app`,
    )
    expect(app?.environment?.REDIS_URL).toBe("redis://redis:6379")
    expect(app?.environment?.NODE_ENV).toBe("production")
    expect(app?.depends_on).toEqual({
      db: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
      migrate: { condition: "service_completed_successfully" },
    })
    expect(migrate?.command).toEqual(["node_modules/.bin/truss", "migrate"])
    expect(db?.image).toBe("postgres:17")
    expect(db?.healthcheck?.test).toEqual(["CMD-SHELL", "pg_isready -U app -d app"])
    expect(db?.volumes).toEqual(["pgdata:/var/lib/postgresql/data"])
    expect(redis?.image).toBe("redis:7")
    expect(redis?.healthcheck?.test).toEqual(["CMD", "redis-cli", "ping"])
    expect(doc.volumes).toEqual({ pgdata: {}, redisdata: {}, caddy_data: {}, caddy_config: {} })
  })

  it("keeps existing files unless --force", async () => {
    await writeFile(join(p.dir, "Dockerfile"), "FROM scratch\n")
    const kept = await cli(p.dir, ["deploy", "init"])
    expect(kept.out.slice(0, 4)).toEqual([
      "kept    Dockerfile (exists; --force replaces it)",
      "kept    .dockerignore (exists; --force replaces it)",
      "kept    compose.yaml (exists; --force replaces it)",
      "kept    Caddyfile (exists; --force replaces it)",
    ])
    expect(await readFile(join(p.dir, "Dockerfile"), "utf8")).toBe("FROM scratch\n")
    await cli(p.dir, ["deploy", "init", "--force", "--replicas", "1"])
    expect(await readFile(join(p.dir, "Dockerfile"), "utf8")).toBe(DOCKERFILE)
    const doc = load(await readFile(join(p.dir, "compose.yaml"), "utf8")) as {
      services: Record<string, Service>
    }
    expect(doc.services.app?.deploy).toEqual({ replicas: 1 })
  })

  it("refuses a replica count that is not 1 to 64", async () => {
    const r = await cli(p.dir, ["deploy", "init", "--replicas", "0"])
    expect(r.code).toBe(1)
    expect(r.err).toEqual([
      "error: option '--replicas <n>' argument '0' is invalid. a whole number from 1 to 64",
    ])
  })

  it("the Dockerfile is the repo's and the create-truss template's", async () => {
    expect(DOCKERFILE).toBe(await readFile("Dockerfile", "utf8"))
    expect(DOCKERFILE).toBe(
      await readFile("packages/create-truss/templates/shared/Dockerfile", "utf8"),
    )
  })
})

describe("toYaml", () => {
  it("writes block maps and lists with quoted strings that keep their type", () => {
    const value: YamlValue = {
      a: "yes",
      b: "3000:3000",
      n: 3,
      t: true,
      z: null,
      "odd key": ["x", 1, { k: "v", l: ["m"] }, [], {}],
      empty: {},
      list: [],
    }
    expect(toYaml(value)).toBe(
      [
        'a: "yes"',
        'b: "3000:3000"',
        "n: 3",
        "t: true",
        "z: null",
        '"odd key":',
        '  - "x"',
        "  - 1",
        '  - k: "v"',
        "    l:",
        '      - "m"',
        "  - []",
        "  - {}",
        "empty: {}",
        "list: []",
        "",
      ].join("\n"),
    )
    expect(load(toYaml(value))).toEqual(value)
    expect(load(toYaml({ s: `quote " and \\ and\nnewline \${X}` }))).toEqual({
      s: `quote " and \\ and\nnewline \${X}`,
    })
  })
})
