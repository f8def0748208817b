#!/usr/bin/env node
/**
 * The `truss` executable: checks the Node.js version, then loads the CLI. It imports
 * nothing before the check, because on an old Node.js the native SQLite driver dies with
 * a bare `Segmentation fault` instead of an error.
 * @module
 */

/** The oldest Node.js major Truss runs on (better-sqlite3, type stripping). */
const REQUIRED_MAJOR = 22

const version = process.versions.node
if (Number(version.split(".")[0]) < REQUIRED_MAJOR) {
  process.stderr.write(
    `TRUSS_ERR_NODE_VERSION: Truss needs Node.js >= ${REQUIRED_MAJOR}; this is Node.js ${version}. ` +
      "Run `npm install` in your project (it puts node@24 in node_modules/.bin, used by npm " +
      "scripts and npx) or `nvm install 24`.\n",
  )
  process.exitCode = 1
} else {
  await import("./main.js")
}
