import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span as SdkSpan } from '@opentelemetry/sdk-trace-base';
import { scrubText } from './redact';

export interface TracingSettings {
  /** OTLP/HTTP (JSON) traces URL, e.g. http://collector:4318/v1/traces. */
  tracesUrl: string;
  serviceName: string | null;
  sampleRatio: number;
}

/** A running OpenTelemetry SDK: the span processor and resource the Temporal worker plugin exports through too. */
export interface Tracing {
  processor: SpanProcessor;
  resource: Resource;
  shutdown(): Promise<void>;
}

export const TRACER_NAME = 'seamline';

/**
 * Starts OpenTelemetry for this process: spans go in batches to the OTLP/HTTP endpoint; no automatic
 * instrumentation is loaded (the spans are ours and Temporal's: HTTP requests, workflow start, workflow, activities,
 * SMTP). Span attributes carry ids and route names only, never message content or addresses.
 */
export function startTracing(settings: TracingSettings, app: 'api' | 'worker'): Tracing {
  const resource = new Resource({
    'service.name': settings.serviceName ? `${settings.serviceName}-${app}` : `seamline-${app}`,
    'service.namespace': 'seamline',
  });
  const processor = new ScrubbingSpanProcessor(
    new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }), {
      scheduledDelayMillis: 1_000,
      maxQueueSize: 4_096,
    }),
  );
  const sdk = new NodeSDK({
    resource,
    autoDetectResources: false,
    spanProcessors: [processor],
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    instrumentations: [],
  });
  sdk.start();
  return { processor, resource, shutdown: () => sdk.shutdown() };
}

export function tracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Spans leave the process without personal data: the interceptors record an activity's exception (message and
 * stack) on its span, and an SMTP error names the recipient. Every string attribute, event attribute and status
 * message has addresses masked (as in the logs) before the batch exporter sees the span.
 */
export class ScrubbingSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: SdkSpan, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const mutable = span as { -readonly [K in keyof ReadableSpan]: ReadableSpan[K] };
    scrubAttributes(mutable.attributes);
    for (const event of mutable.events ?? []) scrubAttributes(event.attributes);
    if (mutable.status?.message) mutable.status = { ...mutable.status, message: scrubText(mutable.status.message) };
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

function scrubAttributes(attributes: Attributes | undefined): void {
  if (!attributes) return;
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') (attributes as Record<string, unknown>)[key] = scrubText(value);
  }
}

type RoutedRequest = IncomingMessage & { route?: { path?: string }; originalUrl?: string };

/**
 * An express middleware: one SERVER span per request (joining the caller's trace when it sends `traceparent`),
 * named by its route template once routing is known. Everything the request does runs inside it.
 */
export function httpTracingMiddleware() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      `${req.method ?? 'HTTP'}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method ?? '' } },
      parent,
    );
    res.once('finish', () => {
      const route = (req as RoutedRequest).route?.path ?? 'unmatched';
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Runs `fn` in a span of its own (a child of the active one); errors mark the span and are thrown on. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
