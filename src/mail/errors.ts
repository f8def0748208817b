import { defineError } from "../kit.js"

/** The server's reply carried by the send errors: SMTP code and text. */
interface Reply {
  command: string
  responseCode: number | undefined
  response: string
}

/**
 * The error codes of `truss/mail`; each is listed in docs/errors.md. Send errors carry
 * the SMTP server's reply in `extensions` (`responseCode`, `response`, `command`).
 * @example
 * ```ts
 * import { mailErrors } from "truss/mail"
 * const err = mailErrors.HEADER_INJECTION({ field: "subject" })
 * mailErrors.HEADER_INJECTION.is(err) // true
 * ```
 */
export const mailErrors = {
  HEADER_INJECTION: defineError(
    "TRUSS_ERR_MAIL_HEADER_INJECTION",
    (p: { field: string }) =>
      `The mail's ${p.field} contains a line break (CR or LF), which would let it add headers of its own; strip line breaks from user input before putting it in a subject, an address or a header.`,
    500,
  ),
  ADDRESS_INVALID: defineError(
    "TRUSS_ERR_MAIL_ADDRESS_INVALID",
    (p: { field: string; value: string }) =>
      `The mail's ${p.field} address ${JSON.stringify(p.value)} is not an email address; pass "user@example.com" or { name, address }.`,
    500,
  ),
  NO_RECIPIENTS: defineError(
    "TRUSS_ERR_MAIL_NO_RECIPIENTS",
    "The mail has no recipient: pass at least one address in to, cc or bcc.",
    500,
  ),
  NO_FROM: defineError(
    "TRUSS_ERR_MAIL_NO_FROM",
    "The mail has no sender: pass from on the message or createMailer({ from }).",
    500,
  ),
  NO_BODY: defineError(
    "TRUSS_ERR_MAIL_NO_BODY",
    "The mail has no body: pass html, text or template.",
    500,
  ),
  NO_TEMPLATES: defineError(
    "TRUSS_ERR_MAIL_NO_TEMPLATES",
    (p: { template: string }) =>
      `The mail names template ${JSON.stringify(p.template)} but the mailer has no engine: pass createMailer({ templates: new TemplateEngine({ dir }) }).`,
    500,
  ),
  NO_OUTBOX: defineError(
    "TRUSS_ERR_MAIL_NO_OUTBOX",
    (p: { transport: string }) =>
      `mail.outbox exists only with the memory transport, and this mailer uses ${p.transport}: pass createMailer({ transport: memoryTransport() }) in tests.`,
    500,
  ),
  RECIPIENT_REFUSED: defineError(
    "TRUSS_ERR_MAIL_RECIPIENT_REFUSED",
    (p: Reply & { recipients: string[] }) =>
      `The mail server refused ${p.recipients.join(", ")}: ${p.response}. Check the address, or the server's relay and auth settings.`,
    502,
  ),
  CONNECTION: defineError(
    "TRUSS_ERR_MAIL_CONNECTION",
    (p: Reply) =>
      `The connection to the mail server failed (${p.command}): ${p.response}. Check host, port, secure/requireTLS, and that the server is up.`,
    502,
  ),
  AUTH_FAILED: defineError(
    "TRUSS_ERR_MAIL_AUTH_FAILED",
    (p: Reply) =>
      `The mail server refused the login: ${p.response}. Check smtpTransport({ auth: { user, pass } }).`,
    502,
  ),
  SEND_FAILED: defineError(
    "TRUSS_ERR_MAIL_SEND_FAILED",
    (p: Reply) => `The mail server refused the message (${p.command}): ${p.response}.`,
    502,
  ),
}
