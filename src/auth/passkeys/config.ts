import type { UserModel } from "../user-model.js"

/**
 * The relying party a passkey belongs to.
 * @example
 * ```ts
 * import type { PasskeyConfig } from "truss/auth"
 * const rp: PasskeyConfig = { rpName: "Acme", rpID: "acme.example", origin: "https://acme.example" }
 * ```
 */
export interface PasskeyConfig {
  /** The name the browser shows, e.g. "Acme". */
  readonly rpName: string
  /** The site's registrable domain, e.g. "acme.example" ("localhost" in development). */
  readonly rpID: string
  /** The origin(s) the pages run on, e.g. "https://acme.example". */
  readonly origin: string | readonly string[]
  /** How long a ceremony may take, in ms. @default 300000 */
  readonly timeout?: number
  /** Whether the authenticator must verify the user (PIN, biometrics). @default "preferred" */
  readonly userVerification?: "required" | "preferred" | "discouraged"
  /** The app's user model, when it made its own with `defineUserModel()`. @default User */
  readonly model?: UserModel
}

export const DEFAULT_TIMEOUT = 300_000

export function originsOf(config: PasskeyConfig): string[] {
  return typeof config.origin === "string" ? [config.origin] : [...config.origin]
}
