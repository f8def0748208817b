import { describe, expect, it } from "vitest"
import { createAdmin } from "../../src/admin/index.js"
import { field, model } from "../../src/orm/index.js"

const Event = model("roEvent", {
  kind: field.string(),
  count: field.integer(),
  data: field.text(),
})

describe("admin registration: app, label, value filters, formats", () => {
  it("serves a model under its app and label when given", () => {
    const admin = createAdmin().register(Event, { app: "audit", label: "event" })
    expect(admin.models).toEqual([Event])
  })

  const cases: [string, () => unknown, string, string][] = [
    [
      "an app that is not a URL segment",
      () => createAdmin().register(Event, { app: "my app" }),
      "admin.register(roEvent): app must start with a letter and hold letters, digits and _ (the URL segment).",
      "TRUSS_ERR_ADMIN_INVALID_OPTION",
    ],
    [
      "a value filter on a number field",
      () => createAdmin().register(Event, { filters: [{ field: "count" }] }),
      'admin.register(roEvent): filters names "count" with values; those filters work on text fields.',
      "TRUSS_ERR_ADMIN_INVALID_OPTION",
    ],
    [
      "a format for a field the model does not have",
      () => createAdmin().register(Event, { formats: { nope: () => "" } as never }),
      'admin.register(roEvent): formats names "nope", which roEvent does not have. Use one of: id, kind, count, data.',
      "TRUSS_ERR_ADMIN_UNKNOWN_FIELD",
    ],
  ]
  for (const [what, register, message, code] of cases) {
    it(`refuses ${what} with ${code}`, () => {
      expect(register).toThrow(expect.objectContaining({ code, message }))
    })
  }
})
