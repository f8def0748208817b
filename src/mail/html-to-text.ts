const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  copy: "©",
  mdash: "—",
  ndash: "–",
  hellip: "…",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
}

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") {
      const n = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1))
      return Number.isFinite(n) && n > 0 && n < 0x110000 ? String.fromCodePoint(n) : m
    }
    return ENTITIES[e.toLowerCase()] ?? m
  })
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag)
  return m ? decode(m[1] ?? m[2] ?? m[3] ?? "") : undefined
}

const BLOCK =
  /<\/?(?:p|div|h[1-6]|table|tr|ul|ol|blockquote|section|article|header|footer|hr)\b[^>]*>/gi

/**
 * Turns an HTML mail body into a readable text part: headings, paragraphs and list
 * items on their own lines, links kept as `text (url)`, `<style>`/`<script>`/`<head>`
 * dropped, entities decoded, runs of blank lines collapsed.
 * @example
 * ```ts
 * import { htmlToText } from "truss/mail"
 * htmlToText('<p>Hi <b>Ada</b>,</p><p><a href="https://x.test/r">Reset</a></p>')
 * // "Hi Ada,\n\nReset (https://x.test/r)"
 * ```
 */
export function htmlToText(html: string): string {
  let s = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/\s+/g, " ")
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a\s*>/gi, (_m, attrs: string, inner: string) => {
    const href = attr(attrs, "href")
    const label = inner.replace(/<[^>]*>/g, "").trim()
    if (!href || href.startsWith("#") || href.startsWith("cid:")) return label
    const url = href.startsWith("mailto:") ? href.slice(7) : href
    return !label || decode(label) === url ? url : `${label} (${url})`
  })
  s = s
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const alt = attr(tag, "alt")
      return alt ? `[${alt}]` : ""
    })
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/t[dh]\s*>/gi, " ")
    .replace(BLOCK, "\n\n")
    .replace(/<[^>]*>/g, "")
  return decode(s)
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
}
