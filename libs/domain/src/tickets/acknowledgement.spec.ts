import fc from 'fast-check';
import {
  DEFAULT_ACKNOWLEDGEMENT_TEMPLATES,
  expectedByPhrase,
  renderAcknowledgement,
  unknownPlaceholders,
} from './acknowledgement';

const facts = {
  ticketId: '6f1c2a3b-0000-4000-8000-000000000001',
  customerName: 'Jane',
  storeName: 'Acme Outfitters',
  signature: 'Acme Outfitters Support',
  expectedBy: new Date('2026-12-07T15:00:00Z'),
  timeZone: 'America/New_York',
};

describe('the customer acknowledgement', () => {
  it('says a person has the request, when to expect an answer in the store hours, and the reference', () => {
    const text = renderAcknowledgement(DEFAULT_ACKNOWLEDGEMENT_TEMPLATES, 'standard', facts);
    expect(text).toContain('Hello Jane');
    expect(text).toContain('A member of our team has your request');
    expect(text).toContain('by Monday, 7 December at 10:00 (New York time)');
    expect(text).toContain('Your reference: SL-6f1c2a3b');
    expect(text).toContain('Acme Outfitters Support');
    expect(renderAcknowledgement(DEFAULT_ACKNOWLEDGEMENT_TEMPLATES, 'risk', facts)).toContain('A specialist');
  });

  it('promises nothing it cannot know, and greets politely without a name', () => {
    const text = renderAcknowledgement(DEFAULT_ACKNOWLEDGEMENT_TEMPLATES, null, {
      ...facts,
      customerName: null,
      expectedBy: null,
    });
    expect(text).toContain('Hello there');
    expect(text).toContain('reply as soon as we can');
    expect(expectedByPhrase(null, 'UTC')).toBe('as soon as we can');
  });

  it('renders literal text as written and each placeholder as its value, and nothing else', () => {
    const values: Record<string, string> = {
      customerName: 'Jane',
      storeName: 'Acme Outfitters',
      expectedBy: 'by Monday, 7 December at 10:00 (New York time)',
      ticketRef: 'SL-6f1c2a3b',
      signature: 'Acme Outfitters Support',
    };
    const piece = fc.oneof(
      fc.string({ maxLength: 20 }).filter((t) => !/[{}]/.test(t)),
      fc.constantFrom(...Object.keys(values)).map((name) => `{${name}}`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const expected = pieces.map((p) => (p.startsWith('{') ? values[p.slice(1, -1)] : p)).join('');
        expect(renderAcknowledgement({ default: pieces.join('') }, 'standard', facts)).toBe(expected);
      }),
    );
    expect(unknownPlaceholders('Hi {customerName}, {draft} {reason}')).toEqual(['draft', 'reason']);
  });
});
