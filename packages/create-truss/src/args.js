// @ts-check
import { parseArgs } from "node:util"

/** The templates, in the order the prompt lists them. */
export const TEMPLATES = /** @type {const} */ ({
  minimal: "one file: an App with two routes and a test (Flask-sized)",
  api: "JSON API: ORM models and migrations, validated routes, OpenAPI at /docs, health and metrics",
  realtime: "WebSocket chat with truss/realtime: rooms, presence, validated messages",
  site: "web site: templates, sessions, sign-up and log-in pages, the admin at /admin, SQLite models and migrations",
})

/**
 * @typedef {object} Options
 * @property {string | undefined} dir - the folder to create
 * @property {string | undefined} template - a key of TEMPLATES
 * @property {string | undefined} name - the package name (default: the folder's name)
 * @property {string} truss - the version spec of the truss dependency
 * @property {boolean} yes - never prompt
 * @property {boolean} help
 */

/**
 * Parses the command line.
 * @param {string[]} argv
 * @returns {Options}
 */
export function parse(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      template: { type: "string", short: "t" },
      name: { type: "string" },
      truss: { type: "string" },
      yes: { type: "boolean", short: "y" },
      help: { type: "boolean", short: "h" },
    },
  })
  return {
    dir: positionals[0],
    template: values.template,
    name: values.name,
    truss: values.truss ?? "^0.1.0",
    yes: values.yes ?? false,
    help: values.help ?? false,
  }
}

const NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/

/**
 * Why `name` cannot be an npm package name, or undefined when it can.
 * @param {string} name
 * @returns {string | undefined}
 */
export function invalidName(name) {
  if (name.length === 0) return "the name is empty"
  if (name.length > 214) return "the name is longer than 214 characters"
  if (!NAME.test(name))
    return "use lowercase letters, digits, '-', '.' and '_' (an npm package name)"
  return undefined
}

export const USAGE = `Usage: npm create truss@latest [dir] -- [options]

Options:
  -t, --template <name>  ${Object.entries(TEMPLATES)
    .map(([k, v]) => `${k} (${v})`)
    .join("\n                         ")}
  --name <name>          package name (default: the folder's name)
  --truss <spec>         version of truss to depend on (default: ^0.1.0)
  -y, --yes              ask nothing: minimal template, name from the folder
  -h, --help             this help`
