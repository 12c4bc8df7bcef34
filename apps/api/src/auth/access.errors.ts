import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Response } from 'express';

/** Stable codes of authentication, authorization and admin errors; clients rely on the code, not the message. */
export const ACCESS_ERROR_CODES = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  USER_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  USER_EXISTS: 409,
  API_KEY_NAME_TAKEN: 409,
  LAST_ADMIN: 409,
  RATE_LIMITED: 429,
} as const;
export type AccessErrorCode = keyof typeof ACCESS_ERROR_CODES;

export class AccessError extends Error {
  constructor(
    readonly code: AccessErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AccessError';
  }

  get status(): number {
    return ACCESS_ERROR_CODES[this.code];
  }
}

/**
 * Maps access errors and the throttler's 429 to the API's error body (`{ error: { code, message } }`).
 * Registered after the API's catch-all filter, so it is consulted first for these two types only.
 */
@Catch(AccessError, ThrottlerException)
export class AccessErrorFilter implements ExceptionFilter {
  catch(exception: AccessError | ThrottlerException, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof ThrottlerException) {
      // The throttler names its header after the limit (Retry-After-login-account); clients look for Retry-After.
      const named = Object.entries(res.getHeaders()).find(([name]) => name.toLowerCase().startsWith('retry-after-'));
      if (named) res.setHeader('Retry-After', String(named[1]));
      res.status(429).json({ error: { code: 'RATE_LIMITED', message: 'too many requests; try again shortly' } });
      return;
    }
    if (exception.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="seamline"');
    res.status(exception.status).json({ error: { code: exception.code, message: exception.message } });
  }
}
