import fc from 'fast-check';
import { referencesChain, replySubject, ticketToken } from './mail-threading';

const id = '6f1c2a3b-0000-4000-8000-000000000001';

describe('mail threading', () => {
  it('answers with Re: and the ticket token, once, whatever the customer subject carried', () => {
    expect(replySubject('Where is my order?', id)).toBe('Re: Where is my order? [#SL-6f1c2a3b]');
    expect(replySubject('RE: AW: Where is my order? [#SL-6f1c2a3b]', id)).toBe('Re: Where is my order? [#SL-6f1c2a3b]');
    expect(replySubject('Fwd: Re[2]: Damaged mug', id)).toBe('Re: Damaged mug [#SL-6f1c2a3b]');
    expect(replySubject('   ', id)).toBe('Re: Your request [#SL-6f1c2a3b]');
    expect(ticketToken(id)).toBe('[#SL-6f1c2a3b]');
  });

  it('is idempotent and bounded for any subject', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2_000 }), (subject) => {
        const once = replySubject(subject, id);
        expect(replySubject(once, id)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(998);
        expect(once.match(/\[#SL-/g)).toHaveLength(1);
      }),
    );
  });

  it('keeps the first message and the latest ones in References', () => {
    const ids = Array.from({ length: 25 }, (_, i) => `<m${i}@x.test>`);
    const chain = referencesChain([...ids, '<m3@x.test>', 'not an id']);
    expect(chain).toHaveLength(10);
    expect(chain[0]).toBe('<m0@x.test>');
    expect(chain.at(-1)).toBe('<m24@x.test>');
    expect(referencesChain(['<a@x>', '<b@x>', '<a@x>'])).toEqual(['<a@x>', '<b@x>']);
  });
});
