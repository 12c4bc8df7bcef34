import { DomainError } from '../../../../libs/domain';
import { decodeCursor, encodeCursor } from './inbox.service';

describe('inbox cursor', () => {
  const id = '0b5c8c1e-3f5e-4d7a-9a51-2f1f6f0c9d11';

  it('round-trips a position with and without a deadline', () => {
    for (const position of [
      { deadline: '2026-11-27T10:00:00.000Z', id },
      { deadline: null, id },
    ]) {
      const cursor = encodeCursor(position);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(position);
    }
  });

  it.each([
    ['not base64 json', 'bm90IGpzb24'],
    ['a wrong shape', Buffer.from(JSON.stringify({ deadline: null, id })).toString('base64url')],
    ['an id that is not a uuid', Buffer.from(JSON.stringify([null, "1' OR '1'='1"])).toString('base64url')],
    ['a deadline that is not a date', Buffer.from(JSON.stringify(['tomorrow', id])).toString('base64url')],
  ])('refuses %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(DomainError);
  });
});
