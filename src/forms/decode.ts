/**
 * Turns flat form fields into a nested object: `items[0].qty`, `items[0][qty]`,
 * `address.city`, `tags[]` and repeated names (which become arrays).
 * @module
 */

/** A nested value built from form fields; numeric keys stay object keys until coercion. */
export type Tree = { [key: string]: TreeValue }
/** A leaf (string or File), a list of leaves, or a subtree. */
export type TreeValue = string | File | TreeValue[] | Tree

const MAX_DEPTH = 16
const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"])
const SEGMENT = /([^.[\]]+)|\[([^\]]*)\]/g

/** Splits `items[0].qty` into `["items", "0", "qty"]`; `tags[]` ends with `""` (append). */
export function splitName(name: string): string[] | undefined {
  const segments: string[] = []
  for (const m of name.matchAll(SEGMENT)) segments.push(m[1] ?? m[2] ?? "")
  if (segments.length === 0 || segments.length > MAX_DEPTH) return undefined
  if (segments.some((s) => FORBIDDEN.has(s))) return undefined
  return segments
}

function isTree(value: TreeValue | undefined): value is Tree {
  return (
    value !== undefined &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof File)
  )
}

function setLeaf(tree: Tree, key: string, value: string | File, append: boolean): void {
  const prev = tree[key]
  if (prev === undefined) tree[key] = append ? [value] : value
  else if (Array.isArray(prev)) prev.push(value)
  else if (isTree(prev))
    return // `a=1` after `a.b=2`: the structured value wins
  else tree[key] = [prev, value]
}

/**
 * Builds the nested tree. Names that cannot be split (too deep, or naming a
 * prototype key) and names in `ignore` are skipped; when a name is used both as a
 * value and as a parent (`a=1`, `a.b=2`) the first shape wins.
 */
export function decodeFields(
  entries: Iterable<[string, string | File]>,
  ignore: ReadonlySet<string>,
): Tree {
  // Null prototypes: a field named toString or constructor is data, never a lookup hit.
  const root: Tree = Object.create(null)
  for (const [name, value] of entries) {
    if (ignore.has(name)) continue
    const path = splitName(name)
    if (path === undefined) continue
    const append = path[path.length - 1] === ""
    const keys = append ? path.slice(0, -1) : path
    if (keys.length === 0) continue
    let node: Tree | undefined = root
    for (let i = 0; i < keys.length - 1 && node !== undefined; i++) {
      const key = keys[i]!
      const next: TreeValue | undefined = node[key]
      if (next === undefined) node = node[key] = Object.create(null)
      else node = isTree(next) ? next : undefined
    }
    if (node !== undefined) setLeaf(node, keys[keys.length - 1]!, value, append)
  }
  return root
}
