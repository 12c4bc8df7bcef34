import fc from 'fast-check';
import { DomainError } from '../../../../libs/domain';
import { CURSOR_PATTERN, decodeCursor, encodeCursor } from './cursor';

describe('page cursor', () => {
  const id = '0b5c8c1e-3f5e-4d7a-9a51-2f1f6f0c9d11';

  it('round-trips a position with and without a timestamp', () => {
    for (const position of [
      { at: '2026-11-27T10:00:00.000Z', id },
      { at: null, id },
    ]) {
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(position);
    }
  });

  it('keeps the microseconds PostgreSQL keeps', () => {
    const position = { at: '2026-12-01T22:00:02.078123Z', id };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
    expect(decodeCursor(encodeCursor({ at: '2026-12-01T22:00:02Z', id })).at).toBe('2026-12-01T22:00:02.000Z');
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['a wrong shape', Buffer.from(JSON.stringify({ deadline: null, id })).toString('base64url')],
    ['an id that is not a uuid', Buffer.from(JSON.stringify([null, "1' OR '1'='1"])).toString('base64url')],
    ['a deadline that is not a date', Buffer.from(JSON.stringify(['tomorrow', id])).toString('base64url')],
  ])('refuses %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
  });

  it('decodes every string its published pattern matches, and re-encodes it unchanged', () => {
    fc.assert(
      fc.property(fc.stringMatching(CURSOR_PATTERN), (cursor) => {
        const position = decodeCursor(cursor);
        expect(encodeCursor(position)).toBe(cursor.replace(/^0+(?=\d)/, ''));
      }),
    );
  });
});
