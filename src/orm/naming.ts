/** Converts a camelCase field name to a snake_case column name: `createdAt` → `created_at`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

/** True when `name` is a plain SQL identifier (letters, digits, underscore). */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name)
}
