import { escapeHtml } from "../../kit.js"

/**
 * Wraps a page body in a document; pass your own to `totpRoutes({ layout })`.
 * @example
 * ```ts
 * import type { MfaLayout } from "truss/auth"
 * const layout: MfaLayout = (title, body) => `<!doctype html><title>${title}</title><main>${body}</main>`
 * ```
 */
export type MfaLayout = (title: string, body: string) => string

/** The default layout: a bare, readable HTML document. */
export const defaultLayout: MfaLayout = (title, body) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}.qr svg{width:14rem;height:14rem}.error{color:#b00020}code{font-size:1.1rem;letter-spacing:.1em}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`

/** A refused code, shown above the form with its error code. */
export interface PageError {
  readonly code: string
  readonly message: string
}

function errorLine(error: PageError | undefined): string {
  return error === undefined
    ? ""
    : `<p class="error" role="alert" data-code="${escapeHtml(error.code)}">${escapeHtml(error.message)}</p>`
}

function csrfField(token: string | undefined): string {
  return token === undefined
    ? ""
    : `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`
}

function codeForm(action: string, label: string, csrf: string | undefined): string {
  return `<form method="post" action="${escapeHtml(action)}">${csrfField(csrf)}<label>${escapeHtml(label)} <input name="code" autocomplete="one-time-code" inputmode="numeric" required autofocus></label> <button type="submit">Confirm</button></form>`
}

/** The enrollment page: the QR code, the secret to type by hand, the first-code form. */
export function enrollPage(p: {
  qrSvg: string
  secret: string
  uri: string
  action: string
  csrf: string | undefined
  error?: PageError
}): string {
  return `<p>Scan this QR code with your authenticator app, then enter the 6-digit code it shows.</p><div class="qr" role="img" aria-label="QR code of the authenticator setup link">${p.qrSvg}</div><p>Or type this key: <code id="totp-secret">${escapeHtml(p.secret)}</code></p><p hidden><a id="totp-uri" href="${escapeHtml(p.uri)}">setup link</a></p>${errorLine(p.error)}${codeForm(p.action, "Code", p.csrf)}`
}

/** Shown once enrollment is confirmed: the recovery codes, once. */
export function enabledPage(codes: readonly string[]): string {
  return `<p id="totp-enabled">Two-factor authentication is on. Keep these recovery codes somewhere safe; each works once and they are not shown again.</p><ul id="recovery-codes">${codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join("")}</ul>`
}

/** The second-factor page of a sign-in. */
export function verifyPage(p: {
  action: string
  csrf: string | undefined
  error?: PageError
}): string {
  return `<p>Enter the 6-digit code from your authenticator app, or a recovery code.</p>${errorLine(p.error)}${codeForm(p.action, "Code", p.csrf)}`
}

/** Shown once TOTP is turned off. */
export function disabledPage(): string {
  return `<p id="totp-disabled">Two-factor authentication is off. Your recovery codes no longer work.</p>`
}
