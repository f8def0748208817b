import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { TrussError } from "../kit.js"
import { field, model } from "./index.js"
import type { AnyModel } from "./model.js"
import { createPreparer } from "./prepare-create.js"
import { createInput, validated, withDefaults } from "./query/write.js"

let made = 0
const Wide = model("prep_wide", {
  title: field.string({ max: 10, min: 2 }),
  body: field.text({ null: true }),
  score: field.integer({ default: 0, min: 0, max: 10 }),
  ratio: field.float({ null: true, max: 1 }),
  even: field.integer({
    null: true,
    validators: [(n) => (n % 2 === 0 ? undefined : "Must be even.")],
  }),
  big: field.bigint({ default: 0n }),
  price: field.decimal({ precision: 5, scale: 2, null: true }),
  flag: field.boolean({ default: false }),
  email: field.email({ null: true }),
  kind: field.enum(["a", "b"], { default: "a" }),
  pick: field.string({ choices: ["x", "y"], null: true }),
  at: field.datetime({ default: "now" }),
  touched: field.datetime({ autoNow: true }),
  meta: field.json({ default: () => ({ n: ++made }) }),
  day: field.date({ null: true }),
  owner: field.foreignKey(() => Owner, { null: true }),
})
const Owner = model("prep_owner", { name: field.string() })
const Keyed = model("prep_keyed", { name: field.string() }, { primaryKey: "uuid" })
const Cleaned = model(
  "prep_cleaned",
  { name: field.string(), nick: field.string({ default: "n" }) },
  { clean: (v) => (v.name === "no" ? { name: "Reserved." } : undefined) },
)

/** Runs `fn`, returning its value or the thrown error's code, message and field errors. */
function outcome(fn: () => unknown): unknown {
  try {
    return { value: fn() }
  } catch (e) {
    if (!(e instanceof TrussError)) throw e
    return { code: e.code, message: e.message, extensions: e.extensions }
  }
}

function generic(m: AnyModel, input: unknown): unknown {
  return outcome(() => withDefaults(m, validated(m, input, "create")))
}

describe("createInput: the compiled create-input preparer", () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"] })
    vi.setSystemTime(new Date("2026-01-02T03:04:05.000Z"))
  })
  afterAll(() => vi.useRealTimers())

  it("fills defaults in one pass and calls a default function once per row", () => {
    made = 0
    const row = createInput(Wide)({ title: "hello" })
    const now = new Date("2026-01-02T03:04:05.000Z")
    expect(row).toStrictEqual({
      title: "hello",
      body: null,
      score: 0,
      ratio: null,
      even: null,
      big: 0n,
      price: null,
      flag: false,
      email: null,
      kind: "a",
      pick: null,
      at: now,
      touched: now,
      meta: { n: 1 },
      day: null,
      ownerId: null,
    })
    expect(row.at).toBe(row.touched)
    expect(made).toBe(1)
  })

  it("takes the generic path only for input it does not accept as-is", () => {
    const seen: unknown[] = []
    const Counted = model("prep_counted", { name: field.string({ max: 3 }), n: field.integer() })
    const prepare = createPreparer(Counted, (m, input) => {
      seen.push(input)
      return withDefaults(m, validated(m, input, "create"))
    })
    expect(prepare({ name: "abc", n: 1 })).toStrictEqual({ name: "abc", n: 1 })
    expect(seen).toEqual([])
    expect(outcome(() => prepare({ name: "abcd", n: 1 }))).toMatchObject({
      message:
        "Invalid prep_counted: name: Must be at most 3 characters.. Fix the listed fields (see the error's extensions.errors).",
    })
    expect(seen).toEqual([{ name: "abcd", n: 1 }])
  })

  it("keeps a given id and omits an auto id the input leaves out", () => {
    expect(createInput(Owner)({ id: 7, name: "a" })).toStrictEqual({ id: 7, name: "a" })
    expect(Object.keys(createInput(Owner)({ name: "a" }))).toEqual(["name"])
  })

  it("generates a uuid key when the input has none", () => {
    const row = createInput(Keyed)({ name: "k" })
    expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(createInput(Keyed)({ id: "00000000-0000-4000-8000-000000000000", name: "k" })).toEqual({
      id: "00000000-0000-4000-8000-000000000000",
      name: "k",
    })
  })

  it("throws the generic path's field-level errors", () => {
    const input = { title: "x", score: 11, even: 3, nope: 1 }
    expect(outcome(() => createInput(Wide)(input))).toEqual(generic(Wide, input))
    expect(outcome(() => createInput(Wide)(input))).toMatchObject({
      code: "TRUSS_ERR_ORM_VALIDATION",
      extensions: {
        errors: [
          { field: "nope", message: 'Unknown field "nope".' },
          { field: "title", message: "Must be at least 2 characters." },
          { field: "score", message: "Must be at most 10." },
          { field: "even", message: "Must be even." },
        ],
      },
    })
    expect(outcome(() => createInput(Cleaned)({ name: "no" }))).toEqual(
      generic(Cleaned, { name: "no" }),
    )
    expect(createInput(Cleaned)({ name: "ok" })).toStrictEqual({ name: "ok", nick: "n" })
  })

  it("agrees with validated() + withDefaults() on arbitrary input", () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer({ min: -3, max: 12 }),
      fc.double(),
      fc.bigInt({ min: -5n, max: 5n }),
      fc.boolean(),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "a",
        "b",
        "x",
        "1.25",
        "123.456",
        "a@b.co",
        "2026-01-02",
        "2026-01-02T00:00:00Z",
      ),
      fc.date({ noInvalidDate: true }),
      fc.constant({ n: 1 }),
      fc.constant([1]),
    )
    const keys = [...Wide.meta.columns.map((c) => c.key), "nope", "owner"]
    const input = fc.oneof(
      fc.dictionary(fc.constantFrom(...keys), value),
      fc.record({ title: fc.string({ minLength: 2, maxLength: 10 }) }),
      fc.constantFrom(null, [], "x", 1),
    )
    fc.assert(
      fc.property(input, (i) => {
        made = 0
        const fast = outcome(() => createInput(Wide)(i))
        const calls = made
        made = 0
        expect(fast).toStrictEqual(generic(Wide, i))
        expect(calls).toBe(made)
      }),
      { numRuns: 2000 },
    )
  })
})
