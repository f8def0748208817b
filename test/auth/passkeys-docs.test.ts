import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { mfaErrors } from "../../src/auth/mfa/index.js"
import { oidcErrors } from "../../src/auth/oidc/index.js"
import { passkeyErrors } from "../../src/auth/passkeys/index.js"

// truss/auth is not yet a public subpath, so errors-catalog.test.ts does not see these
// codes: this keeps the passkey, MFA and OIDC codes and docs/auth.md's table in sync.
const docs = readFileSync(new URL("../../docs/auth.md", import.meta.url), "utf8")
const rows = new Map(
  [...docs.matchAll(/^\| `(TRUSS_ERR_AUTH_[A-Z0-9_]+)` \| (\d+) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]),
)

describe("docs/auth.md error table", () => {
  it("lists every passkey, MFA and OIDC code once, with the status the code uses", () => {
    const factories = [
      ...Object.values(passkeyErrors),
      ...Object.values(mfaErrors),
      ...Object.values(oidcErrors),
    ]
    expect(factories.map((f) => [f.code, rows.get(f.code)])).toEqual(
      factories.map((f) => [f.code, f.status]),
    )
    for (const f of factories) {
      expect(docs.split(`| \`${f.code}\` |`).length - 1, f.code).toBe(1)
    }
  })
})
