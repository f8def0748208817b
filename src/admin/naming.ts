/**
 * Human names for models and fields, and the URL segments of a model.
 * @module
 */
import type { AnyModel } from "../orm/index.js"

/** `createdAt` → `created at`, `order_line` → `order line`. */
export function humanize(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase()
    .trim()
}

/** `order line` → `Order line`. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A simple English plural: `category` → `categories`, `box` → `boxes`. */
export function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`
  return `${word}s`
}

/** The app label (`options.app`, default `app`) and the model's name without it. */
export function modelLabels(m: AnyModel): { app: string; slug: string } {
  const app = m.options.app ?? "app"
  const bare = m.name.startsWith(app) && m.name !== app ? m.name.slice(app.length) : m.name
  return { app, slug: bare.toLowerCase() }
}

/** The human name of a model: `options.label`, else its name without the app prefix. */
export function modelLabel(m: AnyModel): string {
  if (m.options.label) return m.options.label
  const app = m.options.app ?? "app"
  const bare = m.name.startsWith(app) && m.name !== app ? m.name.slice(app.length) : m.name
  return humanize(bare)
}
