/**
 * One `truss dev` run of the app: started by the dev supervisor with the TypeScript
 * loader, it serves the module named in argv and tells the parent its URL over IPC.
 * @module
 */
import { describeStartupError, serveModule } from "./serve.js"

const [path = "", port = "3000", host = "127.0.0.1"] = process.argv.slice(2)
try {
  const server = await serveModule(path, {
    port: Number(port),
    host,
    cwd: process.cwd(),
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  })
  process.send?.({ type: "ready", url: server.url })
} catch (err) {
  for (const line of describeStartupError(err, Number(port))) process.stderr.write(`${line}\n`)
  process.send?.({ type: "failed" }, () => process.exit(1))
  if (!process.send) process.exit(1)
}
