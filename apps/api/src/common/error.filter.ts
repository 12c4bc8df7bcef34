import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError, httpStatusOf, type ErrorCode } from '../../../../libs/domain';

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; errorId?: string };
}

/** The API's one error mapping: domain codes to HTTP, framework errors to stable codes, the rest to 500 with an id. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.map(exception);
    res.status(status).json(body);
  }

  private map(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
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
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = httpCode(status, exception);
      if (code) return [status, { error: { code, message: exception.message } }];
    }
    const errorId = randomUUID();
    // The stack helps engineers; it never reaches the client and carries no request body.
    this.logger.error(
      `unhandled error ${errorId}: ${exception instanceof Error ? exception.stack : String(exception)}`,
    );
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
