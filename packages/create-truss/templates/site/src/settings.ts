const production = process.env.NODE_ENV === "production"
const secretKey = process.env.SECRET_KEY || undefined
if (production && (secretKey === undefined || secretKey.length < 32)) {
  throw new Error(
    "Set SECRET_KEY to 32+ random characters to run in production (see .env.example).",
  )
}

/** Settings from the environment (`.env.example` lists them); read once, at startup. */
export const settings = {
  /** `sqlite:./app.db` on one machine; `postgres://…` or `mysql://…` when you scale out. */
  databaseUrl: process.env.DATABASE_URL ?? "sqlite:./app.db",
  production,
  /** Signs the session cookie and mailed links. The fallback is for development only. */
  secretKey: secretKey ?? "__NAME__-development-secret-not-for-production",
  /** The public origin, for links in mails. */
  publicUrl: process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 3000}`,
}
