/**
 * Reading a SQLite schema back: indexes through PRAGMA index_list/index_info; SQLite
 * reports a column's declared type.
 * @module
 */

import type { IndexColumnRow, Introspection, RunSql } from "../dialect.js"
import { quote } from "./quote.js"

async function indexRows(run: RunSql, table: string): Promise<readonly IndexColumnRow[]> {
  const list = (await run(`PRAGMA index_list(${quote(table)})`, [])).rows
  const rows: IndexColumnRow[] = []
  for (const ix of list) {
    if (ix.origin !== "c") continue
    const info = (await run(`PRAGMA index_info(${quote(String(ix.name))})`, [])).rows
    for (const c of info) rows.push({ name: ix.name, uniq: ix.unique, col: c.name, pos: c.seqno })
  }
  return rows
}

/** SQLite introspection. */
export const sqliteIntrospection: Introspection = Object.freeze({
  indexRows,
  reportedType: (_kind: unknown, ddlType: string) => ddlType.toLowerCase(),
  isImplicitIndex: () => false,
})
