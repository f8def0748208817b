import { lookup } from "mime-types"
import type { Attachment } from "./message.js"

/** `cid:` in an attribute value or a CSS `url(…)`, quoted or not (RFC 2392 cid URLs). */
const CID_REF = /(["'(=]\s*)cid:([^"'()\s>]+)/gi

function imageType(a: Attachment): string | undefined {
  const type = a.contentType ?? lookup(a.filename)
  return typeof type === "string" && type.toLowerCase().startsWith("image/") ? type : undefined
}

function decodeCid(ref: string): string {
  try {
    return decodeURIComponent(ref)
  } catch {
    return ref
  }
}

/**
 * The HTML with every `cid:` reference to an inline image attachment replaced by a
 * `data:` URL of its bytes, so a browser (the dev mail viewer) shows what a mail
 * client shows. References to unknown ids and to parts that are not images are left
 * as they are.
 */
export function inlineCidImages(html: string, attachments: readonly Attachment[]): string {
  const images = new Map<string, string>()
  for (const a of attachments) {
    const type = a.cid === undefined ? undefined : imageType(a)
    if (a.cid === undefined || type === undefined || images.has(a.cid)) continue
    const bytes =
      typeof a.content === "string" ? Buffer.from(a.content, "utf8") : Buffer.from(a.content)
    images.set(a.cid, `data:${type};base64,${bytes.toString("base64")}`)
  }
  if (images.size === 0) return html
  return html.replace(CID_REF, (whole, lead: string, ref: string) => {
    const url = images.get(ref) ?? images.get(decodeCid(ref))
    return url === undefined ? whole : lead + url
  })
}
