import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { insertCustomerWithOrder } from '../support/db';
import { createTestUser } from '../support/apps';
import { startE2eStack, type E2eStack } from '../support/e2e';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';

/**
 * The customer's side of the handoff, over the real stack: they hear that a person has their request and when to
 * expect an answer, replies thread like mail in their client, and a reply whose client dropped the headers still
 * finds its ticket. Every mail is read back from the SMTP sink with a real parser.
 */
describe('the customer side of the handoff', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await startE2eStack({ ACK_DELAY_SECONDS: '1', AUTO_SEND_ENABLED: 'false', REOPEN_WINDOW_SECONDS: '3600' });
  });
  afterAll(() => stack?.close());

  const mailsTo = async (email: string): Promise<ParsedMail[]> =>
    Promise.all(stack.sink.received.filter((m) => m.to.includes(email)).map((m) => simpleParser(m.raw)));

  async function customerTicket(text: (order: string) => string, subject = 'My order') {
    const email = `handoff.${randomUUID()}@example.com`;
    const orderNumber = `SL-${Math.floor(Math.random() * 1e9)}`;
    await insertCustomerWithOrder(stack.db, { email, orderNumber });
    const messageId = `<${randomUUID()}@mail.example.com>`;
    const res = await stack.post('/tickets', {
      messageId,
      from: { email, name: 'Dana Fox' },
      subject,
      text: text(orderNumber),
      orderNumber,
    });
    expect(res.status).toBe(201);
    const { ticketId } = await json(res);
    return { email, orderNumber, messageId, ticketId };
  }

  it('acknowledges a ticket that went to a person, threaded, in the store words, without internal details', async () => {
    const c = await customerTicket(
      (o) => `Order ${o} never arrived. If this is not fixed I will contact my lawyer and take you to court.`,
      'Missing parcel',
    );
    const ticket: Json = await eventually(async () => {
      const t = await stack.ticket(c.ticketId);
      expect(t.route).toBe('escalate');
      return t;
    }, 30_000);
    const [ack] = await eventually(async () => {
      const mails = await mailsTo(c.email);
      expect(mails).toHaveLength(1);
      return mails;
    }, 20_000);
    const mail = ack as ParsedMail;
    expect(mail.subject).toBe(`Re: Missing parcel [#SL-${c.ticketId.replace(/-/g, '').slice(0, 8)}]`);
    expect(mail.inReplyTo).toBe(c.messageId);
    expect(mail.text).toContain('Hello Dana Fox');
    expect(mail.text).toMatch(/will reply by \w+day, \d+ \w+ at \d\d:\d\d \(New York time\)/);
    expect(mail.text).toContain(`SL-${c.ticketId.replace(/-/g, '').slice(0, 8)}`);
    // Never the draft, never why it escalated.
    expect(mail.text).not.toContain(ticket.draft.body.slice(0, 40));
    for (const reason of ticket.decision.reasons) expect(mail.text).not.toContain(reason.code);
    expect(mail.text?.toLowerCase()).not.toContain('lawyer');
    // It answers nothing: the ticket still waits for its reply, and the briefing shows the acknowledgement.
    const after = await stack.ticket(c.ticketId);
    expect(after.sla.state).not.toBe('met');
    expect(after.thread.filter((m: Json) => m.direction === 'outbound').map((m: Json) => m.kind)).toEqual([
      'acknowledgement',
    ]);
    expect(after.acknowledgement).toMatchObject({ status: 'sent', text: mail.text?.trim() });
  });

  it('threads the reply like mail, and a reply without headers finds its ticket by the token', async () => {
    const c = await customerTicket((o) => `Hello, order ${o} arrived damaged, the box was crushed. What can you do?`);
    const ticket: Json = await eventually(async () => {
      const t = await stack.ticket(c.ticketId);
      expect(t.status).toMatch(/awaiting_review|escalated/);
      return t;
    }, 30_000);
    const approve = await stack.post(`/tickets/${c.ticketId}/actions/approve`, { draftVersion: ticket.draftVersion });
    expect(approve.status).toBe(200);
    const reply = await eventually(async () => {
      const mails = (await mailsTo(c.email)).filter((m) => !/has your request/.test(m.text ?? ''));
      expect(mails).toHaveLength(1);
      return mails[0] as ParsedMail;
    }, 30_000);
    const token = `[#SL-${c.ticketId.replace(/-/g, '').slice(0, 8)}]`;
    expect(reply.subject).toBe(`Re: My order ${token}`);
    expect(reply.inReplyTo).toBe(c.messageId);
    expect([reply.references].flat()).toContain(c.messageId);

    // The customer's mail client answers, but drops In-Reply-To and References: the subject token threads it.
    const raw = await new MailComposer({
      from: `Dana Fox <${c.email}>`,
      to: 'support@seamline.local',
      subject: `RE: ${reply.subject}`,
      messageId: `<${randomUUID()}@mail.example.com>`,
      text: 'Thank you. Can you also send me a return label?\n\n> previous message quoted here',
    })
      .compile()
      .build();
    const res = await fetch(`${stack.apps.baseUrl}/inbound/mime`, {
      method: 'POST',
      headers: { ...stack.ingest, 'content-type': 'message/rfc822' },
      body: raw,
    });
    expect(res.status).toBe(201);
    expect((await json(res)).ticketId).toBe(c.ticketId);
  });

  const postMime = async (raw: Buffer | string) =>
    fetch(`${stack.apps.baseUrl}/inbound/mime`, {
      method: 'POST',
      headers: { ...stack.ingest, 'content-type': 'message/rfc822' },
      body: raw,
    });

  it('never opens a ticket for an out-of-office answer, and puts a ticket back with an agent when its reply bounces', async () => {
    const c = await customerTicket((o) => `Hello, order ${o} arrived damaged, the box was crushed. What can you do?`);
    const ticket: Json = await eventually(async () => {
      const t = await stack.ticket(c.ticketId);
      expect(t.status).toMatch(/awaiting_review|escalated/);
      return t;
    }, 30_000);
    await stack.post(`/tickets/${c.ticketId}/actions/approve`, { draftVersion: ticket.draftVersion });
    const reply = await eventually(async () => {
      const mails = (await mailsTo(c.email)).filter((m) => !/has your request/.test(m.text ?? ''));
      expect(mails).toHaveLength(1);
      return mails[0] as ParsedMail;
    }, 30_000);
    await eventually(async () => expect((await stack.ticket(c.ticketId)).status).toBe('resolved'), 20_000);
    const mailsBefore = stack.sink.received.length;

    // The customer's out-of-office robot answers the reply: kept, no ticket, no answer to it.
    const ooo = await new MailComposer({
      from: c.email,
      to: 'support@seamline.local',
      subject: `Automatic reply: ${reply.subject}`,
      messageId: `<${randomUUID()}@mail.example.com>`,
      inReplyTo: reply.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
      text: 'I am out of the office until Monday.',
    })
      .compile()
      .build();
    const oooAnswer = await postMime(ooo);
    expect(oooAnswer.status).toBe(202);
    expect(await json(oooAnswer)).toMatchObject({ status: 'quarantined', reason: 'auto_reply' });
    expect((await stack.ticket(c.ticketId)).status).toBe('resolved');

    // The customer's mail server returns the reply: a delivery status notification (RFC 3464).
    const boundary = 'report-boundary';
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.com>',
      'To: support@seamline.local',
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.example.com>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.com',
      '',
      `Final-Recipient: rfc822; ${c.email}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable',
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${reply.messageId}`,
      `Subject: ${reply.subject}`,
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const bounced = await postMime(dsn);
    expect(bounced.status).toBe(202);
    expect(await json(bounced)).toMatchObject({ status: 'quarantined', reason: 'delivery_report' });
    const back: Json = await eventually(async () => {
      const t = await stack.ticket(c.ticketId);
      expect(t.status).toBe('escalated');
      return t;
    }, 20_000);
    const failure = back.audit.find((a: Json) => a.action === 'delivery_failed');
    expect(failure.after.error).toContain('550 5.1.1 mailbox unavailable');
    expect(back.audit.filter((a: Json) => a.action === 'delivery_bounced')).toHaveLength(1);
    // No answer went to the robot or to the mailer daemon.
    expect(stack.sink.received.slice(mailsBefore).filter((m) => !m.to.includes(c.email))).toHaveLength(0);
  });

  it("shows the customer's attachments to those who may see the ticket, as safe downloads", async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const raw = await new MailComposer({
      from: `photo.${randomUUID()}@example.com`,
      to: 'support@seamline.local',
      subject: 'Broken on arrival',
      messageId: `<${randomUUID()}@mail.example.com>`,
      text: 'My vase arrived broken, photo attached. I would like a replacement.',
      attachments: [
        { filename: 'vase.png', content: png, contentType: 'image/png' },
        { filename: 'receipt.html', content: '<script>alert(1)</script>', contentType: 'text/html' },
      ],
    })
      .compile()
      .build();
    const res = await postMime(raw);
    expect(res.status).toBe(201);
    const { ticketId } = await json(res);
    const ticket: Json = await eventually(async () => {
      const t = await stack.ticket(ticketId);
      expect(t.route).not.toBeNull();
      return t;
    }, 30_000);
    const listed = ticket.thread[0].attachments;
    expect(listed.map((a: Json) => [a.filename, a.contentType, a.size, a.inline, a.available])).toEqual([
      ['vase.png', 'image/png', png.length, false, true],
      ['receipt.html', 'text/html', 25, false, true],
    ]);
    const base = stack.apps.baseUrl.replace(/\/api\/v1$/, '');
    const image = await fetch(`${base}${listed[0].path}`, { headers: stack.supervisor.headers });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^attachment; filename="vase.png"/);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await image.arrayBuffer()).equals(png)).toBe(true);
    const html = await fetch(`${base}${listed[1].path}`, { headers: stack.supervisor.headers });
    expect(html.headers.get('content-type')).toBe('application/octet-stream');

    // Outside the agent's queues it does not exist, exactly like the ticket; an unknown id neither.
    const outsider = await createTestUser(stack.apps, 'agent', ticket.queue === 'risk' ? ['priority'] : ['risk']);
    expect((await fetch(`${base}${listed[0].path}`, { headers: outsider.headers })).status).toBe(404);
    const unknown = await fetch(`${stack.apps.baseUrl}/tickets/${ticketId}/attachments/${randomUUID()}`, {
      headers: stack.supervisor.headers,
    });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('ATTACHMENT_NOT_FOUND');
    expect((await fetch(`${base}${listed[0].path}`)).status).toBe(401);
  });

  it('lets a supervisor release a quarantined message once, or discard one with a reason', async () => {
    const customer = `released.${randomUUID()}@example.com`;
    const held = await postMime(
      await new MailComposer({
        from: customer,
        to: 'support@seamline.local',
        subject: 'Out of office? No, a real question',
        messageId: `<${randomUUID()}@mail.example.com>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
        text: 'My helpdesk tool marks every mail as automatic. Where is my order?',
      })
        .compile()
        .build(),
    );
    const { quarantineId } = await json(held);
    const release = () => stack.post(`/inbound/quarantine/${quarantineId}/release`, {}, stack.supervisor.headers);
    const agent = await createTestUser(stack.apps, 'agent', ['standard']);
    expect((await stack.post(`/inbound/quarantine/${quarantineId}/release`, {}, agent.headers)).status).toBe(403);
    const [first, second] = await Promise.all([release(), release()]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const { ticketId } = await json(first);
    expect((await json(second)).ticketId).toBe(ticketId);
    await eventually(async () => expect((await stack.ticket(ticketId)).customerEmail).toBe(customer), 20_000);
    const discardReleased = await stack.post(
      `/inbound/quarantine/${quarantineId}/discard`,
      { reason: 'too late' },
      stack.supervisor.headers,
    );
    expect(discardReleased.status).toBe(409);

    // A message that is unsafe (no sender) cannot be released: the entry stays open; it can be discarded.
    const unsafe = await json(await postMime('Subject: no sender at all\r\n\r\nhello\r\n'));
    const refused = await stack.post(
      `/inbound/quarantine/${unsafe.quarantineId}/release`,
      {},
      stack.supervisor.headers,
    );
    expect(refused.status).toBe(422);
    expect((await json(refused)).error).toMatchObject({
      code: 'QUARANTINE_NOT_RELEASABLE',
      details: { reason: 'missing_sender' },
    });
    const open = await json(
      await fetch(`${stack.apps.baseUrl}/inbound/quarantine?limit=200`, { headers: stack.supervisor.headers }),
    );
    expect(open.items.map((i: Json) => i.id)).toContain(unsafe.quarantineId);
    expect(open.items.map((i: Json) => i.id)).not.toContain(quarantineId);
    const discarded = await stack.post(
      `/inbound/quarantine/${unsafe.quarantineId}/discard`,
      { reason: 'not a message' },
      stack.supervisor.headers,
    );
    expect(discarded.status).toBe(200);
    const resolved = await json(
      await fetch(`${stack.apps.baseUrl}/inbound/quarantine?state=resolved&limit=200`, {
        headers: stack.supervisor.headers,
      }),
    );
    const byId = new Map(resolved.items.map((i: Json) => [i.id, i]));
    expect(byId.get(quarantineId)).toMatchObject({
      resolution: 'released',
      releasedTicketId: ticketId,
      resolvedBy: stack.supervisor.id,
    });
    expect(byId.get(unsafe.quarantineId)).toMatchObject({ resolution: 'discarded', resolutionReason: 'not a message' });
  });
});
