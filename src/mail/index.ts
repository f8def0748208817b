/**
 * `truss/mail`: mails from templates (HTML and a derived text part, attachments,
 * inline images) sent through nodemailer over SMTP, printed to the console, written as
 * `.eml` files, or kept in memory (`mail.outbox`) for tests and the dev mail viewer.
 * Header injection is refused with TRUSS_ERR_MAIL_HEADER_INJECTION; SMTP failures are
 * coded errors carrying the server's reply.
 * @module
 */
export { mailErrors } from "./errors.js"
export { htmlToText } from "./html-to-text.js"
export { createMailer, type Mailer, type MailerOptions, type MailScheduler } from "./mailer.js"
export type { Address, Attachment, BuiltMail, MailMessage } from "./message.js"
export type { MailQueueOptions } from "./queue.js"
export type { MailTransport, SendResult } from "./transport.js"
export { type ConsoleTransportOptions, consoleTransport } from "./transports/console.js"
export { type FileTransportOptions, fileTransport } from "./transports/file.js"
export {
  type MemoryTransport,
  type MemoryTransportOptions,
  memoryTransport,
  type SentMail,
} from "./transports/memory.js"
export { type SmtpTransportOptions, smtpTransport } from "./transports/smtp.js"
export { type MailViewerOptions, mailViewer } from "./viewer.js"
