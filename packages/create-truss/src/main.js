// @ts-check
import { basename, relative, resolve } from "node:path"
import { cancel, intro, isCancel, outro, select, text } from "@clack/prompts"
import pc from "picocolors"
import { invalidName, parse, TEMPLATES, USAGE } from "./args.js"
import { generate, isFree } from "./generate.js"

/**
 * Asks for what the flags left out, when a person can answer.
 * @param {import("./args.js").Options} o
 * @param {boolean} interactive
 * @returns {Promise<{ dir: string, template: string } | undefined>}
 */
async function complete(o, interactive) {
  const ask = interactive && !o.yes
  let dir = o.dir
  if (dir === undefined && ask) {
    const answer = await text({
      message: "Project folder",
      placeholder: "my-app",
      defaultValue: "my-app",
      validate: (v) => invalidName(basename(resolve(v || "my-app"))),
    })
    if (isCancel(answer)) return undefined
    dir = answer
  }
  let template = o.template
  if (template === undefined && ask) {
    const answer = await select({
      message: "Template",
      options: Object.entries(TEMPLATES).map(([value, hint]) => ({ value, label: value, hint })),
    })
    if (isCancel(answer)) return undefined
    template = answer
  }
  return { dir: dir ?? "my-app", template: template ?? "minimal" }
}

/**
 * Runs create-truss; returns the exit code.
 * @param {string[]} argv
 * @returns {Promise<number>}
 */
export async function main(argv) {
  /** @type {import("./args.js").Options} */
  let o
  try {
    o = parse(argv)
  } catch (err) {
    process.stderr.write(`${pc.red(/** @type {Error} */ (err).message)}\n\n${USAGE}\n`)
    return 1
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true
  if (interactive && !o.yes) intro(pc.bold("Create a Truss project"))
  const answers = await complete(o, interactive)
  if (!answers) {
    cancel("Cancelled: nothing was written.")
    return 1
  }
  const dir = resolve(answers.dir)
  const name = o.name ?? basename(dir)
  const problem = invalidName(name) ?? (answers.template in TEMPLATES ? undefined : `unknown template "${answers.template}": pick ${Object.keys(TEMPLATES).join(" or ")}`)
  if (problem) {
    process.stderr.write(`${pc.red(`create-truss: ${problem}.`)}\n`)
    return 1
  }
  if (!(await isFree(dir))) {
    process.stderr.write(
      `${pc.red(`create-truss: ${dir} is not empty.`)} Pick a new folder name, or empty this one.\n`,
    )
    return 1
  }
  await generate({ dir, template: answers.template, name, truss: o.truss })
  const cd = relative(process.cwd(), dir) || "."
  const next = [
    `Created ${pc.bold(name)} (${answers.template}) in ${cd}. Next:`,
    "",
    ...(cd === "." ? [] : [`  cd ${cd}`]),
    "  npm install && npm run dev",
    "  npm test",
  ].join("\n")
  if (interactive && !o.yes) outro(next)
  else process.stdout.write(`${next}\n`)
  return 0
}
