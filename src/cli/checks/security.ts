/**
 * The security checks of `truss check --deploy` (Django's `check --deploy`): debug,
 * NODE_ENV, the session secret, HTTPS as seen through the proxy, HSTS, secure cookies
 * and refused foreign Host headers.
 * @module
 */
import type { CheckMessage, SystemCheck } from "./types.js"

/** The shortest secret the sessions battery accepts. */
const MIN_SECRET = 32
/** Fewer distinct characters than this is a typed word, not a random secret. */
const MIN_DISTINCT = 8

function when(cond: boolean, message: CheckMessage): CheckMessage[] {
  return cond ? [message] : []
}

const debug: SystemCheck = {
  deploy: true,
  run: ({ app }) =>
    when(app?.debug === true, {
      id: "security.E001",
      level: "error",
      message: "The app runs with debug: true: stack traces and source reach every client.",
      hint: 'Create the app with new App({ debug: process.env.NODE_ENV !== "production" }) and set NODE_ENV=production in the deploy.',
    }),
}

const nodeEnv: SystemCheck = {
  deploy: true,
  run: ({ env }) =>
    when(env.NODE_ENV !== "production", {
      id: "security.W002",
      level: "warning",
      message: `NODE_ENV is ${env.NODE_ENV === undefined ? "not set" : `"${env.NODE_ENV}"`}, not "production".`,
      hint: "Set NODE_ENV=production in the deploy environment (the Dockerfile does).",
    }),
}

const secret: SystemCheck = {
  deploy: true,
  run({ env }) {
    const value = env.SESSION_SECRET ?? env.SECRET_KEY
    if (value === undefined || value === "") {
      return [
        {
          id: "security.E003",
          level: "error",
          message: "Neither SESSION_SECRET nor SECRET_KEY is set.",
          hint: `Set SESSION_SECRET to ${MIN_SECRET}+ random characters: node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
        },
      ]
    }
    const distinct = new Set(value).size
    return when(value.length < MIN_SECRET || distinct < MIN_DISTINCT, {
      id: "security.E004",
      level: "error",
      message: `The session secret is weak: ${value.length} characters, ${distinct} distinct.`,
      hint: `Use at least ${MIN_SECRET} random characters (${MIN_DISTINCT}+ distinct): node -e "console.log(crypto.randomBytes(32).toString('base64url'))"`,
    })
  },
}

const proxyHttps: SystemCheck = {
  deploy: true,
  run: ({ probe }) =>
    when(probe?.sawHttps === false, {
      id: "security.W005",
      level: "warning",
      message:
        "Behind a TLS-terminating proxy the app would not see HTTPS: X-Forwarded-Proto from a loopback proxy is ignored.",
      hint: 'Set trustProxy on the app to your proxy (new App({ trustProxy: 1 }) or ["10.0.0.0/8"]); without it cookies lose Secure and HSTS is never sent. Silence with --silence security.W005 when TLS ends in the app.',
    }),
}

const hsts: SystemCheck = {
  deploy: true,
  run: ({ probe }) =>
    when(probe?.sawHttps === true && !probe.https.headers.has("strict-transport-security"), {
      id: "security.W006",
      level: "warning",
      message: "HTTPS responses carry no Strict-Transport-Security header.",
      hint: 'Add secureHeaders() from "truss/security" (app.use(secureHeaders())); it sends HSTS on HTTPS requests.',
    }),
}

const cookies: SystemCheck = {
  deploy: true,
  run({ probe }) {
    if (!probe) return []
    const insecure = probe.https.headers
      .getSetCookie()
      .filter((c) => !/;\s*secure\b/i.test(c))
      .map((c) => c.split("=", 1)[0] ?? c)
    return when(insecure.length > 0, {
      id: "security.W007",
      level: "warning",
      message: `Cookies set without Secure on an HTTPS request: ${insecure.join(", ")}.`,
      hint: "Set secure: true on these cookies (sessions({ cookie: { secure: true } })), and trustProxy behind a proxy so the app knows the request is HTTPS.",
    })
  },
}

const allowedHosts: SystemCheck = {
  deploy: true,
  run: ({ probe }) =>
    when(probe !== undefined && probe.foreignHostStatus !== 400, {
      id: "security.W008",
      level: "warning",
      message: `A request for an unknown Host (truss-check.invalid) got ${probe?.foreignHostStatus}, not 400: any Host header is served (host-header poisoning of links and reset mails).`,
      hint: 'List the hosts you serve: new App({ allowedHosts: ["example.com", ".example.com"] }) answers 400 to any other (or a proxy that drops unknown server names).',
    }),
}

/** Every security check, in report order. */
export const SECURITY_CHECKS: readonly SystemCheck[] = [
  debug,
  nodeEnv,
  secret,
  proxyHttps,
  hsts,
  cookies,
  allowedHosts,
]
