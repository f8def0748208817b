/**
 * The `compose.yaml` of `truss deploy init`: Caddy in front (TLS, load balancing over
 * the replicas), N app replicas from the Dockerfile, a one-shot `migrate` service that
 * runs before them, PostgreSQL and Redis with health checks and volumes.
 * @module
 */
import type { YamlValue } from "./yaml.js"

/** What `truss deploy init` asks for. */
export interface DeployOptions {
  /** App replicas behind the proxy. @default 2 */
  readonly replicas: number
  /** The public host name Caddy serves (and gets a certificate for). @default "localhost" */
  readonly domain: string
}

/** A compose variable that must be set: `${NAME:?set NAME}` (compose stops without it). */
const required = (name: string) => `\${${name}:?set ${name}}`

const PG_URL = `postgres://app:${required("POSTGRES_PASSWORD")}@db:5432/app`

/** The compose document as data (what the YAML is written from). */
export function composeFile(o: DeployOptions): { [key: string]: YamlValue } {
  const appEnv = {
    NODE_ENV: "production",
    HOST: "0.0.0.0",
    PORT: "3000",
    DATABASE_URL: PG_URL,
    REDIS_URL: "redis://redis:6379",
    SESSION_SECRET: required("SESSION_SECRET"),
    WEB_CONCURRENCY: "1",
  }
  return {
    name: "truss-app",
    services: {
      proxy: {
        image: "caddy:2",
        restart: "unless-stopped",
        ports: ["80:80", "443:443", "443:443/udp"],
        environment: { DOMAIN: o.domain },
        volumes: [
          "./Caddyfile:/etc/caddy/Caddyfile:ro",
          "caddy_data:/data",
          "caddy_config:/config",
        ],
        depends_on: { app: { condition: "service_healthy" } },
      },
      app: {
        build: ".",
        restart: "unless-stopped",
        environment: appEnv,
        expose: ["3000"],
        deploy: { replicas: o.replicas },
        depends_on: {
          db: { condition: "service_healthy" },
          redis: { condition: "service_healthy" },
          migrate: { condition: "service_completed_successfully" },
        },
      },
      migrate: {
        build: ".",
        command: ["node_modules/.bin/truss", "migrate"],
        restart: "no",
        environment: { NODE_ENV: "production", DATABASE_URL: PG_URL },
        depends_on: { db: { condition: "service_healthy" } },
      },
      db: {
        image: "postgres:17",
        restart: "unless-stopped",
        environment: {
          POSTGRES_USER: "app",
          POSTGRES_DB: "app",
          POSTGRES_PASSWORD: required("POSTGRES_PASSWORD"),
        },
        volumes: ["pgdata:/var/lib/postgresql/data"],
        healthcheck: {
          test: ["CMD-SHELL", "pg_isready -U app -d app"],
          interval: "5s",
          timeout: "3s",
          retries: 10,
        },
      },
      redis: {
        image: "redis:7",
        restart: "unless-stopped",
        command: ["redis-server", "--appendonly", "yes"],
        volumes: ["redisdata:/data"],
        healthcheck: {
          test: ["CMD", "redis-cli", "ping"],
          interval: "5s",
          timeout: "3s",
          retries: 10,
        },
      },
    },
    volumes: { pgdata: {}, redisdata: {}, caddy_data: {}, caddy_config: {} },
  }
}

/**
 * Caddy's config: HTTPS for the domain, every replica as an upstream (Docker's DNS gives
 * one A record per replica), /healthz as the active health check.
 */
export const CADDYFILE = `{$DOMAIN:localhost} {
\tencode zstd gzip
\treverse_proxy {
\t\tdynamic a app 3000 {
\t\t\trefresh 5s
\t\t}
\t\tlb_policy round_robin
\t\thealth_uri /healthz
\t\thealth_interval 5s
\t}
}
`
