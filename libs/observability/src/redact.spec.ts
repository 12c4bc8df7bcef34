import { REDACTED, scrubText, scrubValue } from './redact';

describe('log scrubbing', () => {
  it('masks addresses anywhere in a string', () => {
    expect(
      scrubText("Can't send mail - all recipients were rejected: 451 <jane.doe+x@mail.example.co.uk>: later"),
    ).toBe("Can't send mail - all recipients were rejected: 451 <[email .uk]>: later");
    expect(scrubText('no address here, ticket 3f2a')).toBe('no address here, ticket 3f2a');
  });

  it('replaces personal fields at any depth and keeps the rest', () => {
    const scrubbed = scrubValue({
      ticketId: 't-1',
      from: { email: 'a@b.example', name: 'Ann' },
      nested: { customerName: 'Ann', subject: 'Hi', body: 'secret', note: 'mail c@d.example' },
      list: [{ text: 'x' }],
      error: new Error('refused for e@f.example'),
    }) as Record<string, Record<string, unknown> | string | unknown[]> & { error: { message: string } };
    expect(scrubbed.ticketId).toBe('t-1');
    expect(scrubbed.from).toBe(REDACTED);
    expect(scrubbed.nested).toEqual({
      customerName: REDACTED,
      subject: REDACTED,
      body: REDACTED,
      note: 'mail [email .example]',
    });
    expect(scrubbed.list).toEqual([{ text: REDACTED }]);
    expect(scrubbed.error.message).toBe('refused for [email .example]');
    expect(JSON.stringify(scrubbed)).not.toMatch(/@/);
  });
});
