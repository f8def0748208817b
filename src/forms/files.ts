/**
 * Size and type limits for uploaded files, checked before the schema runs.
 * @example
 * ```ts
 * import type { FileRule } from "truss/forms"
 * const photo: FileRule = { maxSize: 5_000_000, types: ["image/*"] }
 * ```
 */
export interface FileRule {
  /** Largest accepted size in bytes. */
  maxSize?: number
  /** Accepted media types: `"image/png"`, or a family such as `"image/*"`. */
  types?: readonly string[]
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`
  return `${bytes} bytes`
}

function typeMatches(type: string, accepted: readonly string[]): boolean {
  const t = type.toLowerCase()
  return accepted.some((a) => {
    const want = a.toLowerCase()
    return want.endsWith("/*") ? t.startsWith(want.slice(0, -1)) : t === want
  })
}

/** The problems with one file under a rule, as messages for the field. */
export function checkFile(file: File, rule: FileRule): string[] {
  const problems: string[] = []
  if (rule.maxSize !== undefined && file.size > rule.maxSize) {
    problems.push(`The file is ${formatSize(file.size)}; the limit is ${formatSize(rule.maxSize)}.`)
  }
  if (rule.types !== undefined && !typeMatches(file.type, rule.types)) {
    problems.push(
      `Files of type "${file.type || "unknown"}" are not accepted; send ${rule.types.join(", ")}.`,
    )
  }
  return problems
}
