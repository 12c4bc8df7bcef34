import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError, httpStatusOf, type ErrorCode } from '../../../../libs/domain';
import { isDatabaseUnavailable } from '../../../../libs/persistence';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; errorId?: string };
}

/** Failures of the API's own credentials (bearer token, API key, password login) carry the Bearer challenge. */
const BEARER_CHALLENGED: ReadonlySet<ErrorCode> = new Set(['UNAUTHENTICATED', 'INVALID_CREDENTIALS']);

/**
 * The API's one error mapping: domain codes to their HTTP status (the table in libs/domain), the throttler's 429
 * and framework errors to stable codes, an unreachable database to 503, anything else to 500 with an error id.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.map(exception, res);
    res.status(status).json(body);
  }

  private map(exception: unknown, res: Response): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      if (BEARER_CHALLENGED.has(exception.code)) res.setHeader('WWW-Authenticate', 'Bearer realm="seamline"');
      return [
        httpStatusOf(exception.code),
        {
          error: {
            code: exception.code,
            message: exception.message,
            ...(exception.details ? { details: exception.details } : {}),
          },
        },
      ];
    }
    if (exception instanceof ThrottlerException) {
      // The throttler names its header after the limit (Retry-After-login-account); clients look for Retry-After.
      const named = Object.entries(res.getHeaders()).find(([name]) => name.toLowerCase().startsWith('retry-after-'));
      if (named) res.setHeader('Retry-After', String(named[1]));
      return [
        httpStatusOf('RATE_LIMITED'),
        { error: { code: 'RATE_LIMITED', message: 'too many requests; try again shortly' } },
      ];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = httpCode(status, exception);
      if (code) return [status, { error: { code, message: exception.message } }];
    }
    if (isDatabaseUnavailable(exception)) {
      // Nothing was acknowledged; the caller retries the same request once the database is back.
      return [
        httpStatusOf('STORAGE_UNAVAILABLE'),
        { error: { code: 'STORAGE_UNAVAILABLE', message: 'the database is unreachable; retry the request' } },
      ];
    }
    const errorId = randomUUID();
    // The stack helps engineers; it never reaches the client and carries no request body or query parameters.
    this.logger.error(`unhandled error ${errorId}: ${exception instanceof Error ? exception.stack : typeof exception}`);
    return [500, { error: { code: 'INTERNAL', message: 'internal error', errorId } }];
  }
}

function httpCode(status: number, exception: HttpException): ErrorCode | null {
  if (status === 404) return 'ROUTE_NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 400) {
    const cause = exception.cause as { type?: string } | undefined;
    return cause?.type === 'entity.parse.failed' || /JSON/i.test(exception.message)
      ? 'MALFORMED_JSON'
      : 'VALIDATION_FAILED';
  }
  return null;
}
