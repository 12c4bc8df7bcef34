import type { Request } from 'express';

/**
 * The request body as bytes, its first `keep` bytes at most, and its full size. The API's global body parser
 * leaves the inbound routes' bodies unread, so they arrive here whole. A body over what a route takes is never
 * refused unseen: what was kept is stored and quarantined for people to look at.
 */
export function readBodyPrefix(req: Request, keep: number): Promise<{ bytes: Buffer; total: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (kept >= keep) return;
      const part = kept + chunk.length > keep ? chunk.subarray(0, keep - kept) : chunk;
      chunks.push(part);
      kept += part.length;
    });
    req.once('error', reject);
    req.once('end', () => resolve({ bytes: Buffer.concat(chunks, kept), total }));
  });
}
