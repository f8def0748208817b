import type { StandardSchemaV1 } from "@standard-schema/spec"

/**
 * A JSON Schema / OpenAPI schema object.
 * @example
 * ```ts
 * import type { SchemaObject } from "truss/schema"
 * const s: SchemaObject = { type: "string", format: "email" }
 * ```
 */
export type SchemaObject = { [key: string]: unknown }

interface Converter {
  input(options: { target: string }): SchemaObject
  output(options: { target: string }): SchemaObject
}

/**
 * Collects named schemas into `components.schemas` while converting route schemas to
 * JSON Schema: every `$defs` entry (zod's `.meta({ id })`) becomes a component and
 * `#/$defs/X` becomes `#/components/schemas/X`, so shared schemas are `$ref`-reused.
 */
export class Components {
  readonly schemas: Record<string, SchemaObject> = {}
  readonly #seen = new Map<string, string>()

  /**
   * The OpenAPI schema of a Standard Schema, or `{}` when the validator exposes no
   * JSON Schema (valibot) or the schema cannot be represented (custom types).
   */
  convert(schema: StandardSchemaV1, io: "input" | "output"): SchemaObject {
    const converter = (schema["~standard"] as { jsonSchema?: Converter }).jsonSchema
    if (converter === undefined) return {}
    let json: SchemaObject
    try {
      json = converter[io]({ target: "draft-2020-12" })
    } catch {
      return {}
    }
    const { $schema: _drop, $defs, ...root } = json
    const renames = new Map<string, string>()
    const defs = ($defs ?? {}) as Record<string, SchemaObject>
    for (const name of Object.keys(defs)) renames.set(name, this.#nameFor(name, defs[name]!, io))
    for (const [name, def] of Object.entries(defs)) {
      const target = renames.get(name)!
      if (this.schemas[target] === undefined) this.schemas[target] = rewrite(def, renames)
    }
    return rewrite(root, renames)
  }

  /** The component name for a def: its own, or `<name>Input` when the input side differs. */
  #nameFor(name: string, def: SchemaObject, io: "input" | "output"): string {
    const text = JSON.stringify(def)
    const known = this.#seen.get(name)
    if (known === undefined || known === text) {
      this.#seen.set(name, text)
      return name
    }
    const alt = io === "input" ? `${name}Input` : `${name}Output`
    this.#seen.set(alt, text)
    return alt
  }
}

function rewrite(node: SchemaObject, renames: Map<string, string>): SchemaObject {
  const text = JSON.stringify(node).replace(/"#\/\$defs\/([^"]+)"/g, (_all, name: string) => {
    return JSON.stringify(`#/components/schemas/${renames.get(name) ?? name}`)
  })
  return JSON.parse(text) as SchemaObject
}
