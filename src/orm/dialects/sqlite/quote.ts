/** SQLite identifier quoting, shared by the dialect and its introspection. */
export function quote(id: string): string {
  return `"${id.includes('"') ? id.replace(/"/g, '""') : id}"`
}
