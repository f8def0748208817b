/**
 * `npm run bench -- reliability [--fuzz N] [--soak SECONDS] [--seed S]`: the numbers
 * behind docs/reliability.md. `--fuzz N` sends N fuzzed raw HTTP requests (default 5000);
 * `--soak S` runs the demo under moderate load for S seconds (bounded to 600) and prints
 * memory after GC, open file descriptors and p99 over time. With neither, runs the fuzz.
 * @module
 */
import { fuzz } from "./fuzz.js"

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  return i === -1 ? undefined : args[i + 1]
}

export async function run(args: string[]): Promise<void> {
  const soak = option(args, "--soak")
  const runs = option(args, "--fuzz")
  const seed = option(args, "--seed")
  if (soak !== undefined) {
    const { soakDemo } = await import("./soak.js")
    await soakDemo(Math.min(600, Number(soak)))
  }
  if (runs !== undefined || soak === undefined) {
    const report = await fuzz(Number(runs ?? 5000), seed === undefined ? undefined : Number(seed))
    console.log(JSON.stringify({ fuzz: report }, null, 2))
  }
}
