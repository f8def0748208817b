/**
 * `authPages()`: the built-in account pages and JSON endpoints as one blueprint.
 * @module
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { Blueprint } from "../../kit.js"
import "../../security/index.js"
import { TemplateEngine } from "../../templates/index.js"
import { User } from "../models.js"
import { loginThrottle } from "../throttle.js"
import { authPageErrors } from "./errors.js"
import { loginRoutes } from "./login-routes.js"
import type { AuthPagesOptions, Pages } from "./options.js"
import { passwordRoutes } from "./password-routes.js"
import { resetRoutes } from "./reset-routes.js"
import { signupClosed, signupRoutes } from "./signup-routes.js"
import { tokenSigner } from "./tokens.js"
import { verifyRoutes } from "./verify-routes.js"

const OWN_TEMPLATES = fileURLToPath(new URL("./templates", import.meta.url))
const CSS_FILE = new URL("./static/auth.css", import.meta.url)

function urlsOf(prefix: string, signup: boolean, passkeys?: string): Record<string, string> {
  return {
    ...(passkeys ? { passkeys, passkeysClient: `${passkeys}/client.js` } : {}),
    login: `${prefix}/login`,
    logout: `${prefix}/logout`,
    ...(signup ? { signup: `${prefix}/signup` } : {}),
    passwordChange: `${prefix}/password/change`,
    passwordReset: `${prefix}/password/reset`,
    resetConfirm: `${prefix}/password/reset`,
    verify: `${prefix}/verify`,
    css: `${prefix}/static/auth.css`,
  }
}

/**
 * The account pages, each an HTML form (CSRF-protected, from overridable templates)
 * and a JSON endpoint on the same path (send JSON, or an `Accept` preferring JSON):
 * `/login`, `/logout`, `/signup` (switchable), `/password/change`, `/password/reset`,
 * `/password/reset/:token` and `/verify/:token`, under `/accounts`. Register it after
 * `sessions()`, `csrf()` and `auth()`; set `auth({ loginUrl: "/accounts/login" })` so
 * guards send browsers here.
 * @throws TRUSS_ERR_AUTH_PAGES_SECRET when `secret` is shorter than 32 characters.
 * @example
 * ```ts
 * import { App } from "truss"
 * import { auth, authPages } from "truss/auth"
 * import { createMailer, memoryTransport } from "truss/mail"
 * import { connect } from "truss/orm"
 * import { csrf } from "truss/security"
 * import { sessions } from "truss/sessions"
 * const db = await connect("sqlite::memory:")
 * const secret = process.env.SECRET_KEY ?? "a-32-character-secret-for-tests!!"
 * const app = new App().use(sessions({ secret }), csrf(), auth({ db, loginUrl: "/accounts/login" }))
 * const mailer = createMailer({ transport: memoryTransport(), from: "Acme <no-reply@acme.test>" })
 * app.register(authPages({ db, mailer, secret, site: "Acme", signup: true }))
 * ```
 */
export function authPages(options: AuthPagesOptions): Blueprint {
  if (typeof options?.secret !== "string" || options.secret.length < 32) {
    throw authPageErrors.SECRET_REQUIRED()
  }
  const prefix = options.prefix ?? "/accounts"
  const signup = options.signup ?? true
  const own = options.templates === undefined ? [] : [options.templates].flat()
  const engine = new TemplateEngine({ dir: [...own, OWN_TEMPLATES], debug: false })
  const resetMaxAge = options.resetMaxAge ?? 3600
  const verifyMaxAge = options.verifyMaxAge ?? 3 * 24 * 3600
  const pages: Pages = {
    kit: {
      engine,
      site: options.site ?? "Truss",
      urls: { ...urlsOf(prefix, signup, options.passkeys), afterLogin: options.redirectTo ?? "/" },
    },
    db: options.db,
    model: options.model ?? User,
    mailer: options.mailer,
    from: options.from,
    throttle: options.throttle ?? loginThrottle(),
    redirectTo: options.redirectTo ?? "/",
    baseUrl: options.baseUrl,
    reset: tokenSigner(options.secret, "password-reset", resetMaxAge),
    verify: tokenSigner(options.secret, "verify-email", verifyMaxAge),
    resetMaxAge,
    verifyMaxAge,
    stepUpMaxAge: options.stepUpMaxAge ?? 600,
    validators: options.validators,
    secondFactor: options.secondFactor,
    secondFactorUrl: options.secondFactorUrl ?? "/mfa/verify",
  }
  const bp = new Blueprint({ prefix, name: "auth" })
  const css = readFileSync(CSS_FILE, "utf8")
  bp.get("/static/auth.css", { name: "css" }, (c) =>
    c.text(css, 200, {
      "content-type": "text/css; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  )
  loginRoutes(bp, pages)
  if (signup) signupRoutes(bp, pages)
  else signupClosed(bp, pages)
  passwordRoutes(bp, pages)
  resetRoutes(bp, pages)
  verifyRoutes(bp, pages)
  return bp
}
