import type { Request } from 'express';
import { DomainError } from '../../../../libs/domain';
import { readBounded } from '../../../../libs/integrations/mail-inbound';

/**
 * The request body as bytes, at most `limit` of them. The API's global body parser handles JSON only, so a
 * `message/rfc822` body reaches the controller unread. Refuses early on a Content-Length over the limit; a body
 * that grows past it is not buffered further (the rest is drained) and gets 413.
 */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.header('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(declared, limit);
  }
  const body = await readBounded(req, limit);
  if (!body) throw tooLarge(null, limit);
  return body;
}

function tooLarge(size: number | null, limit: number): DomainError {
  return new DomainError(
    'INBOUND_TOO_LARGE',
    `the message is over the ${limit}-byte limit`,
    size === null ? { limit } : { limit, size },
  );
}
