import type { Readable } from 'node:stream';

/**
 * A stream read into one Buffer, or `null` when it went over `limit` bytes: past the limit nothing more is kept
 * (the rest is read and dropped, so the sender is not left hanging). Used for SMTP DATA and raw MIME uploads.
 */
export function readBounded(stream: Readable, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => resolve(over ? null : Buffer.concat(chunks, size)));
  });
}
