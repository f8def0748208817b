/**
 * How a job's fields read in the admin: times as UTC dates, the payload as indented
 * JSON, the error's first line.
 * @module
 */

/** An epoch-millisecond time as `2026-12-03 16:40:05 UTC`, or `—`. */
export function formatTime(ms: unknown): string {
  if (ms === null || ms === undefined || ms === "") return "—"
  const d = new Date(Number(ms))
  return Number.isNaN(d.getTime())
    ? String(ms)
    : `${d.toISOString().replace("T", " ").slice(0, 19)} UTC`
}

/** An epoch-millisecond time to the minute, `2026-12-03 16:40` (UTC: the list's header says so), or `—`. */
export function formatListTime(ms: unknown): string {
  const full = formatTime(ms)
  return full.endsWith(" UTC") ? full.slice(0, 16) : full
}

/** A payload as indented JSON; text that is not JSON as it is. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** The first line of an error, at most 120 characters, or `""`. */
export function firstLine(error: string | null): string {
  if (error === null) return ""
  const line = error.split("\n", 1)[0] ?? ""
  return line.length > 120 ? `${line.slice(0, 119)}…` : line
}
