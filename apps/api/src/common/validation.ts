import {
  Injectable,
  UseInterceptors,
  ValidationPipe,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type ValidationError,
} from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { DomainError } from '../../../../libs/domain';

/** DTO validation: unknown fields are rejected, not stripped silently; every problem is listed by field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new DomainError('VALIDATION_FAILED', 'the request body is invalid', { fields: flatten(errors) }),
  });
}

function flatten(errors: ValidationError[], prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out[path] = Object.values(error.constraints);
    Object.assign(out, flatten(error.children ?? [], path));
  }
  return out;
}

@Injectable()
class BodyRequiredInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    // The JSON parser leaves `body` unset when a request has none (or one of another media type).
    if (ctx.switchToHttp().getRequest<Request>().body === undefined) {
      throw new DomainError('VALIDATION_FAILED', 'the request needs a JSON body', {
        fields: { body: ['a JSON body is required'] },
      });
    }
    return next.handle();
  }
}

/**
 * The route needs a JSON body even though every field in it is optional (a PATCH): a request without one is a
 * mistake (400), not a change of nothing. Routes whose DTO has required fields need no marker.
 */
export const BodyRequired = () => UseInterceptors(BodyRequiredInterceptor);
