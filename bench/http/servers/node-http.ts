/**
 * The baseline: raw node:http, every scenario written by hand (a small segment trie
 * for the 250 routes, the logger and security headers inline).
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { performance } from "node:perf_hooks"
import { GITHUB_ROUTES, lastParam, routeBody } from "../github-routes.js"
import {
  fileLogger,
  MESSAGE,
  PLAINTEXT,
  ready,
  requestId,
  SECURITY_HEADER_PAIRS,
  serverArgs,
} from "./common.js"

type Listener = (req: IncomingMessage, res: ServerResponse) => void

interface Leaf {
  route: string
  lastIndex: number
}

interface TrieNode {
  statics: Map<string, TrieNode>
  param: TrieNode | undefined
  leaves: Map<string, Leaf>
}

const node = (): TrieNode => ({ statics: new Map(), param: undefined, leaves: new Map() })

function buildTrie(): TrieNode {
  const root = node()
  for (const [method, route] of GITHUB_ROUTES) {
    let at = root
    let params = 0
    let lastIndex = -1
    for (const segment of route.split("/").slice(1)) {
      if (segment.startsWith(":")) {
        at.param ??= node()
        at = at.param
        if (segment.slice(1) === lastParam(route)) lastIndex = params
        params++
      } else {
        const next = at.statics.get(segment) ?? node()
        at.statics.set(segment, next)
        at = next
      }
    }
    at.leaves.set(method, { route, lastIndex })
  }
  return root
}

/** Walks the trie, statics first, backtracking into params; fills `params`. */
function find(
  at: TrieNode,
  path: string,
  from: number,
  method: string,
  params: string[],
): Leaf | undefined {
  if (from > path.length) return at.leaves.get(method)
  let end = path.indexOf("/", from)
  if (end === -1) end = path.length
  const segment = path.slice(from, end)
  const child = at.statics.get(segment)
  if (child !== undefined) {
    const leaf = find(child, path, end + 1, method, params)
    if (leaf !== undefined) return leaf
  }
  if (at.param !== undefined && segment !== "") {
    params.push(segment)
    const leaf = find(at.param, path, end + 1, method, params)
    if (leaf !== undefined) return leaf
    params.pop()
  }
  return undefined
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) })
  res.end(body)
}

function notFound(res: ServerResponse): void {
  send(res, 404, "text/plain; charset=utf-8", "Not Found")
}

function pathOf(url: string): string {
  const q = url.indexOf("?")
  return q === -1 ? url : url.slice(0, q)
}

function jsonListener(): Listener {
  return (req, res) => {
    if (pathOf(req.url ?? "/") !== "/json") return notFound(res)
    send(res, 200, "application/json", JSON.stringify({ message: MESSAGE }))
  }
}

function plaintextListener(): Listener {
  return (req, res) => {
    if (pathOf(req.url ?? "/") !== "/plaintext") return notFound(res)
    send(res, 200, "text/plain; charset=utf-8", PLAINTEXT)
  }
}

function routesListener(): Listener {
  const root = buildTrie()
  return (req, res) => {
    const path = pathOf(req.url ?? "/")
    const params: string[] = []
    const found = find(root, path, 1, req.method ?? "GET", params)
    if (found === undefined) return notFound(res)
    const body = routeBody(
      found.route,
      found.lastIndex === -1 ? undefined : params[found.lastIndex],
    )
    send(res, 200, "text/plain; charset=utf-8", body)
  }
}

function middlewareListener(): Listener {
  const log = fileLogger("node-http")
  return (req, res) => {
    const started = performance.now()
    const id = requestId(req.headers["x-request-id"])
    res.setHeader("x-request-id", id)
    for (const [name, value] of SECURITY_HEADER_PAIRS) res.setHeader(name, value)
    const path = pathOf(req.url ?? "/")
    if (path === "/json") send(res, 200, "application/json", JSON.stringify({ message: MESSAGE }))
    else notFound(res)
    const ms = Math.round((performance.now() - started) * 100) / 100
    log.info(
      { reqId: id, method: req.method, path, status: res.statusCode, ms },
      `${req.method} ${path} ${res.statusCode} ${ms}ms`,
    )
  }
}

const { scenario, port } = serverArgs()
const listeners: Record<typeof scenario, () => Listener> = {
  json: jsonListener,
  plaintext: plaintextListener,
  routes: routesListener,
  middleware: middlewareListener,
}
const server = createServer(listeners[scenario]())
server.keepAliveTimeout = 72_000
server.listen(port, "127.0.0.1", () => ready("node-http", scenario, port))
