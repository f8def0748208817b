import { access, writeFile } from "node:fs/promises"
import { resolve } from "node:path"
import { type Command, InvalidArgumentError } from "commander"
import pc from "picocolors"
import type { CliContext } from "../context.js"
import { CADDYFILE, composeFile, DOCKERFILE, DOCKERIGNORE, toYaml } from "../deploy/index.js"

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

function replicas(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError("a whole number from 1 to 64")
  return n
}

/** `truss deploy init [--replicas n] [--domain host] [--force]`. */
export function register(program: Command, ctx: CliContext): void {
  const deploy = program.command("deploy").description("deployment kit")
  deploy
    .command("init")
    .description(
      "write Dockerfile, compose.yaml (Caddy, N app replicas, PostgreSQL, Redis), Caddyfile, .dockerignore",
    )
    .option("--replicas <n>", "app replicas behind the proxy", replicas, 2)
    .option("--domain <host>", "the public host name Caddy serves", "localhost")
    .option("--force", "replace files that exist")
    .action(async function init(opts: { replicas: number; domain: string; force?: boolean }) {
      const files: [string, string][] = [
        ["Dockerfile", DOCKERFILE],
        [".dockerignore", DOCKERIGNORE],
        ["compose.yaml", toYaml(composeFile({ replicas: opts.replicas, domain: opts.domain }))],
        ["Caddyfile", CADDYFILE],
      ]
      for (const [name, text] of files) {
        const path = resolve(ctx.cwd, name)
        if (!opts.force && (await exists(path))) {
          ctx.out(`${pc.yellow("kept")}    ${name} (exists; --force replaces it)`)
          continue
        }
        await writeFile(path, text)
        ctx.out(`${pc.green("wrote")}   ${name}`)
      }
      ctx.out(
        `Next: set POSTGRES_PASSWORD and SESSION_SECRET, new App({ trustProxy: 1, allowedHosts: [${JSON.stringify(opts.domain)}] }), then docker compose up --build.`,
      )
    })
}
