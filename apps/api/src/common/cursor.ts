import { DomainError } from '../../../../libs/domain';

/**
 * Where the next page of a keyset-paginated list starts: after the row with this timestamp and id. `at` is an
 * ISO 8601 UTC timestamp with up to microsecond precision, or null for "no timestamp" (sorted after every one).
 */
export interface KeysetPosition {
  at: string | null;
  id: string;
}

/**
 * The page cursors of every list in the API (`nextCursor` of the inbox, `next` of the quarantine): the position
 * as `<microseconds since the epoch, or n>_<the id's 32 hex digits>`. Microseconds, because PostgreSQL keeps them
 * and a position must compare equal to its own row. Every string this pattern matches decodes to a position and
 * every other string is refused, so the OpenAPI document (which publishes the pattern) says exactly what a
 * cursor is. Clients still treat cursors as opaque.
 */
export const CURSOR_PATTERN = /^(?:[0-9]{1,16}|n)_[0-9a-f]{32}$/;

const ISO_UTC = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/;
const UUID_HEX = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

export function encodeCursor(position: KeysetPosition): string {
  const id = UUID_HEX.exec(position.id);
  if (!id) throw new Error(`a cursor position needs a uuid, not ${position.id}`);
  return `${position.at === null ? 'n' : microsOf(position.at)}_${id.slice(1).join('').toLowerCase()}`;
}

/** The position a cursor names; anything that is not a cursor of this API is a 400 naming the parameter. */
export function decodeCursor(cursor: string, parameter = 'cursor'): KeysetPosition {
  const match = CURSOR_PATTERN.test(cursor) ? cursor.split('_') : null;
  if (!match) {
    throw new DomainError('VALIDATION_FAILED', 'the cursor is not one this API issued', {
      fields: { [parameter]: ['invalid cursor'] },
    });
  }
  const [at, hex] = match as [string, string];
  const id = (UUID_HEX.exec(hex) as RegExpExecArray).slice(1).join('-');
  return { at: at === 'n' ? null : isoOf(BigInt(at)), id };
}

function microsOf(at: string): string {
  const parts = ISO_UTC.exec(at);
  const seconds = parts ? Date.parse(`${parts[1]}Z`) : NaN;
  if (!parts || Number.isNaN(seconds) || seconds < 0) throw new Error(`a cursor position needs a UTC time, not ${at}`);
  return String(BigInt(seconds) * 1000n + BigInt((parts[2] ?? '').padEnd(6, '0')));
}

function isoOf(micros: bigint): string {
  const iso = new Date(Number(micros / 1000n)).toISOString();
  const sub = micros % 1000n;
  return sub === 0n ? iso : iso.replace('Z', `${String(sub).padStart(3, '0')}Z`);
}
