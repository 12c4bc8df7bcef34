import type { Request } from 'express';
import { DomainError } from '../../../../libs/domain';

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
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => (over ? reject(tooLarge(size, limit)) : resolve(Buffer.concat(chunks, size))));
  });
}

function tooLarge(size: number, limit: number): DomainError {
  return new DomainError('INBOUND_TOO_LARGE', `the message is over the ${limit}-byte limit`, { limit, size });
}
