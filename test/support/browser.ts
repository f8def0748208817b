import { existsSync } from "node:fs"
import { type Browser, chromium } from "playwright-core"

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium"

/**
 * True when browser tests should run. When Chromium is missing they are skipped with a
 * line that says so, unless TRUSS_REQUIRE_SERVICES=1, where {@link launchChromium} fails.
 */
export function browserTestsEnabled(suite: string): boolean {
  const present = existsSync(CHROMIUM)
  const required = process.env.TRUSS_REQUIRE_SERVICES === "1"
  if (!present && !required) {
    console.warn(`${suite} skipped: ${CHROMIUM} is missing (apt-get install chromium)`)
  }
  return present || required
}

/** Launches headless Chromium with the flags this closed-network machine needs. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing and TRUSS_REQUIRE_SERVICES=1: apt-get install chromium`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  })
}
