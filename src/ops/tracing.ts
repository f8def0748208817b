/**
 * `tracing()`: an OpenTelemetry server span per request through `@opentelemetry/api`,
 * when the app registers a tracer provider (the SDK's `NodeTracerProvider.register()` or
 * `trace.setGlobalTracerProvider()`). With none registered the middleware only compares
 * one reference and calls `next()`: no span, no context, no allocation.
 * @module
 */
import {
  context,
  type Context as OtelContext,
  ProxyTracerProvider,
  propagation,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from "@opentelemetry/api"
import type { App, Context, Middleware } from "../kit.js"
import { routeLabel } from "./metrics.js"

/**
 * Options for {@link tracing}.
 * @example
 * ```ts
 * import type { TracingOptions } from "truss/ops"
 * const options: TracingOptions = { tracerName: "shop" }
 * ```
 */
export interface TracingOptions {
  /** The instrumentation scope name. @default "truss" */
  tracerName?: string
}

/** What the global provider delegates to while nothing is registered. */
const NOOP = new ProxyTracerProvider().getDelegate()

const headers: TextMapGetter<Context> = {
  keys: (c) => [...c.req.headers.keys()],
  get: (c, key) => c.req.header(key),
}

/**
 * True when a real tracer provider is registered globally.
 * @example
 * ```ts
 * import { tracingEnabled } from "truss/ops"
 * tracingEnabled() // false until the OpenTelemetry SDK registers its provider
 * ```
 */
export function tracingEnabled(): boolean {
  const provider = trace.getTracerProvider()
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP
}

/**
 * Adds a SERVER span per request, named `GET home` (method and route name, or pattern,
 * never the raw path), child of an incoming `traceparent`; attributes follow the HTTP
 * semantic conventions; 5xx and thrown errors mark the span as an error.
 *
 * @example
 * ```ts
 * import { App } from "truss"
 * import { tracing } from "truss/ops"
 * const app = new App()
 * tracing(app) // spans once a provider is registered, nothing before
 * ```
 */
export function tracing(app: App, options: TracingOptions = {}): void {
  const name = options.tracerName ?? "truss"
  app.use(function tracingSpans(c, next) {
    if (!tracingEnabled()) return next()
    const parent: OtelContext = propagation.extract(context.active(), c, headers)
    const route = routeLabel(c)
    const span = trace.getTracer(name).startSpan(
      `${c.req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": c.req.method,
          "url.path": c.req.path,
          "url.scheme": c.req.protocol,
          "server.address": c.req.host,
          ...(c.route ? { "http.route": c.route.path } : {}),
        },
      },
      parent,
    )
    return context.with(trace.setSpan(parent, span), () =>
      next().then(
        () => {
          span.setAttribute("http.response.status_code", c.status)
          if (c.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR })
          span.end()
        },
        (err: unknown) => {
          span.recordException(err instanceof Error ? err : String(err))
          span.setStatus({ code: SpanStatusCode.ERROR })
          span.end()
          throw err
        },
      ),
    )
  } satisfies Middleware)
}
