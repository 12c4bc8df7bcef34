/**
 * Child-process entry of ParserPool: parses one message at a time. It runs with a capped V8 heap, and the pool
 * kills it when a message takes too long, so a hostile message costs one child process, never the API.
 * (A child process, not a worker thread: a worker that hits its heap limit can take the whole process down.)
 */
import { parseInbound } from './parse';
import type { ParseLimits, ParseOutcome } from './types';

interface Job {
  id: number;
  raw: Uint8Array;
  limits: ParseLimits;
}

if (typeof process.send !== 'function') throw new Error('parse-worker runs only as a child process of ParserPool');
const send = process.send.bind(process);

process.on('message', (job: Job) => {
  const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
  parseInbound(raw, job.limits).then(
    (outcome) => send({ id: job.id, outcome }),
    (error: unknown) => {
      const outcome: ParseOutcome = {
        ok: false,
        reason: 'unparseable',
        detail: `parser error: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500),
        seen: { from: null, subject: null, messageId: null },
      };
      send({ id: job.id, outcome });
    },
  );
});
// The pool went away (the API stopped or died): so does the parser.
process.on('disconnect', () => process.exit(0));
send({ ready: true });
