#!/usr/bin/env node
// @ts-check
/**
 * `npm create truss@latest [dir] -- [--template minimal|api|realtime|site] [--name pkg]`: writes a new
 * Truss project. Asks for what is missing when a person is at the terminal; with flags
 * (or --yes) it asks nothing. Plain JavaScript so it runs straight from npm, no build.
 * @module
 */
import { main } from "./src/main.js"

process.exitCode = await main(process.argv.slice(2))
