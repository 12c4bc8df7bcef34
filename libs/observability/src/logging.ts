import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { scrubText, scrubValue } from './redact';

export interface LogSettings {
  level: 'error' | 'warn' | 'info' | 'debug';
  /** json: one JSON object a line (production); pretty: one readable line each (`npm start`). */
  format: 'json' | 'pretty';
  app: 'api' | 'worker';
}

/**
 * What a request's log lines say about the ticket it concerns: set by a handler (ingest learns the ticket id only
 * after it stored the message) and read when the request's line is written.
 */
export interface RequestLogContext {
  ticketId?: string;
  workflowId?: string;
}

type WithLogContext = IncomingMessage & {
  seamlineLog?: RequestLogContext;
  id?: unknown;
  params?: Record<string, string>;
  route?: { path?: string };
};

/** The request's log context, created on first use. */
export function requestLogContext(req: IncomingMessage): RequestLogContext {
  const holder = req as WithLogContext;
  holder.seamlineLog ??= {};
  return holder.seamlineLog;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Options of the one pino logger of a process: levels by name, personal data scrubbed from every line. */
export function loggerOptions(settings: LogSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { app: settings.app },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'req.headers["x-postmark-signature"]',
        'res.headers["set-cookie"]',
      ],
      censor: '[redacted]',
    },
    hooks: {
      // Every argument of every call, whatever logs it (Nest's Logger, the Temporal SDK, a library).
      logMethod(args, method) {
        const clean = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : scrubValue(arg))) as Parameters<
          typeof method
        >;
        return method.apply(this, clean);
      },
    },
  };
}

/** Where lines go: stdout as JSON, or a plain readable line per entry for development. */
export function logDestination(settings: LogSettings): DestinationStream {
  return settings.format === 'pretty' ? prettyStream(process.stdout) : pino.destination({ dest: 1, sync: false });
}

export function createLogger(settings: LogSettings): Logger {
  return pino(loggerOptions(settings), logDestination(settings));
}

/** pino-http options for the API: a request id (the caller's X-Request-Id when well formed), no bodies, no query. */
export function httpLoggerOptions(settings: LogSettings) {
  return {
    ...loggerOptions(settings),
    genReqId(req: IncomingMessage, res: ServerResponse) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customLogLevel(_req: IncomingMessage, res: ServerResponse, error?: Error) {
      if (error || res.statusCode >= 500) return 'error' as const;
      if (res.statusCode >= 400) return 'warn' as const;
      return 'info' as const;
    },
    autoLogging: { ignore: (req: IncomingMessage) => /^\/api\/v1\/health(\?|$)/.test(req.url ?? '') },
    customProps(req: IncomingMessage) {
      const r = req as WithLogContext;
      const context = r.seamlineLog ?? {};
      const param = r.params?.id ?? r.params?.ticketId;
      const ticketId = context.ticketId ?? (param && UUID.test(param) ? param : undefined);
      return {
        ...(ticketId ? { ticketId, workflowId: context.workflowId ?? `ticket-${ticketId}` } : {}),
        ...(r.route?.path ? { route: r.route.path } : {}),
      };
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url ?? '').split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: (err: Error) => scrubValue(err),
    },
  };
}

/** `12:00:01 INFO  [Context] message key=value`: for people at a terminal; the fields stay scrubbed. */
function prettyStream(out: NodeJS.WritableStream): DestinationStream {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line) out.write(`${prettyLine(line)}\n`);
      }
      done();
    },
  });
  return stream as unknown as DestinationStream;
}

function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, context, app, pid, hostname, req, res, responseTime, ...rest } = entry;
  void app;
  void pid;
  void hostname;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const request = req as { method?: string; path?: string } | undefined;
  const response = res as { statusCode?: number } | undefined;
  const parts = [
    clock,
    String(level ?? '')
      .toUpperCase()
      .padEnd(5),
  ];
  if (context) parts.push(`[${String(context)}]`);
  if (request?.method) parts.push(`${request.method} ${request.path ?? ''} ${response?.statusCode ?? ''}`.trim());
  if (typeof responseTime === 'number') parts.push(`${responseTime}ms`);
  if (msg !== undefined && !(request && msg === 'request completed')) parts.push(String(msg));
  for (const [key, value] of Object.entries(rest)) {
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}
