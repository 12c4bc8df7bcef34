import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/** What an Idempotency-Key may be (TicketsService checks it; the OpenAPI document publishes it). */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * The Idempotency-Key header, if sent. A decorator of its own rather than `@Headers()`, which the OpenAPI
 * document would list as a second, required, lower-case header next to the one `@ApiHeader` describes.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, ctx: ExecutionContext): string | undefined =>
  ctx.switchToHttp().getRequest<Request>().header('idempotency-key'),
);
