/**
 * The inbound-mail parser, pool and trust checks with their real dependencies (mailparser, sanitize-html,
 * parser processes from the build, mailauth with DNS answers served by a stub resolver): the fixture set parses into
 * what it should, hostile mail is quarantined for the right reason, and sender trust follows DMARC.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dkimSign, type DNSResolver } from 'mailauth';
import nodemailer from 'nodemailer';
import {
  DEFAULT_PARSE_LIMITS,
  ParserBusyError,
  ParserPool,
  SenderTrustEvaluator,
  SmtpIntakeListener,
  SupportAddresses,
  parseInbound,
  postmarkToMime,
  parsePostmarkPayload,
  splitReply,
  takeSubjectToken,
  ticketToken,
  type InboundMail,
  type ParseLimits,
  type ParseOutcome,
  type SmtpDelivery,
  type SmtpVerdict,
} from '../../libs/integrations/mail-inbound';
import { EXPECTED, deeplyNested, fixture, hugeHeader, manyParts } from '../fixtures/mail';

const LIMITS: ParseLimits = { ...DEFAULT_PARSE_LIMITS, attachmentMaxBytes: 4096 };
const WORKER = join(__dirname, '..', '..', 'dist', 'libs', 'integrations', 'src', 'mail', 'inbound', 'parse-worker.js');

function accepted(outcome: ParseOutcome): InboundMail {
  if (!outcome.ok)
    throw new Error(`expected the message to parse, got quarantine: ${outcome.reason} (${outcome.detail})`);
  return outcome.mail;
}

describe('inbound mail parsing: the fixture set', () => {
  it.each(EXPECTED)('%s', async (name, expected) => {
    const outcome = await parseInbound(fixture(name), LIMITS);
    if (expected.outcome === 'quarantined') {
      if (expected.reason === 'message_id_conflict') {
        // Decided against the first message at ingestion: here it parses, under the same key, with other content.
        const mail = accepted(outcome);
        const first = accepted(await parseInbound(fixture('01-plain.eml'), LIMITS));
        expect(mail.messageKey).toBe(first.messageKey);
        expect(mail.contentHash).not.toBe(first.contentHash);
        return;
      }
      expect(outcome).toMatchObject({ ok: false, reason: expected.reason });
      return;
    }
    const mail = accepted(outcome);
    expect(mail.from.email).toBe(expected.from);
    expect(mail.subject).toBe(expected.subject);
    expect(mail.keySource).toBe(expected.keySource);
    for (const text of expected.newTextContains) expect(mail.text.new).toContain(text);
    for (const text of expected.newTextExcludes ?? []) expect(mail.text.new).not.toContain(text);
    for (const text of expected.quotedContains ?? []) expect(mail.text.quoted).toContain(text);
    for (const text of expected.signatureContains ?? []) expect(mail.text.signature).toContain(text);
    for (const text of expected.htmlContains ?? []) expect(mail.html).toContain(text);
    for (const text of expected.htmlExcludes ?? []) expect(mail.html ?? '').not.toContain(text);
    // The full message is kept beside the split.
    for (const text of expected.quotedContains ?? []) expect(mail.text.full).toContain(text);
    if (expected.attachments) {
      expect(
        mail.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          inline: a.inline,
          size: a.size,
          stored: a.content !== null,
          ...(a.contentId ? { contentId: a.contentId } : {}),
        })),
      ).toEqual(expected.attachments);
      for (const a of mail.attachments) {
        expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
        if (a.content) expect(a.content.length).toBe(a.size);
        else expect(a.omittedReason).toBe('over_limit');
      }
    } else {
      expect(mail.attachments).toEqual([]);
    }
  });

  it('threads a reply by In-Reply-To and References', async () => {
    const reply = accepted(await parseInbound(fixture('09-reply-quoted.eml'), LIMITS));
    expect(reply.inReplyTo).toBe('<plain-0001@fixtures.seamline.test>');
    expect(reply.references).toEqual(['<plain-0001@fixtures.seamline.test>']);
  });
});

describe('inbound mail parsing: identity', () => {
  const raw = fixture('11-no-message-id.eml');

  it('derives a stable key from normalized headers and body when there is no Message-ID', async () => {
    const first = accepted(await parseInbound(raw, LIMITS));
    expect(first.messageKey).toMatch(/^<derived\.[0-9a-f]{40}@seamline\.invalid>$/);
    // Transport additions (trace headers, CRLF vs LF) do not change the key or the content hash.
    const relayed = Buffer.concat([
      Buffer.from('Received: from mx.example.in by mx.shop.test; Tue, 11 Mar 2025 07:08:00 +0530\r\n'),
      raw,
    ]);
    const lf = Buffer.from(raw.toString('utf8').replace(/\r\n/g, '\n'));
    for (const variant of [relayed, lf]) {
      const again = accepted(await parseInbound(variant, LIMITS));
      expect(again.messageKey).toBe(first.messageKey);
      expect(again.contentHash).toBe(first.contentHash);
    }
    // A different body is a different message.
    const edited = Buffer.from(raw.toString('utf8').replace('twice by mistake', 'three times by mistake'));
    const other = accepted(await parseInbound(edited, LIMITS));
    expect(other.messageKey).not.toBe(first.messageKey);
    expect(other.contentHash).not.toBe(first.contentHash);
  });

  it('ignores an unusable Message-ID and derives a key instead', async () => {
    const bad = Buffer.from(
      fixture('01-plain.eml').toString('utf8').replace('<plain-0001@fixtures.seamline.test>', 'not an id with spaces'),
    );
    expect(accepted(await parseInbound(bad, LIMITS)).keySource).toBe('derived');
  });
});

describe('inbound mail parsing: hostile and malformed mail', () => {
  it('quarantines absurd nesting, MIME bombs, huge headers and oversized mail, and parses sane nesting', async () => {
    expect(accepted(await parseInbound(deeplyNested(5), LIMITS)).text.new).toBe('hello from the bottom');
    expect(await parseInbound(deeplyNested(40), LIMITS)).toMatchObject({ ok: false, reason: 'nesting_too_deep' });
    expect(await parseInbound(deeplyNested(400), LIMITS)).toMatchObject({ ok: false, reason: 'too_many_parts' });
    expect(await parseInbound(manyParts(300), LIMITS)).toMatchObject({ ok: false, reason: 'too_many_parts' });
    expect(await parseInbound(hugeHeader(300_000), LIMITS)).toMatchObject({ ok: false, reason: 'header_too_large' });
    expect(await parseInbound(fixture('01-plain.eml'), { ...LIMITS, maxBytes: 100 })).toMatchObject({
      ok: false,
      reason: 'too_large',
    });
  });

  it('keeps what it could read for the quarantine list', async () => {
    const outcome = await parseInbound(fixture('12-header-injection.eml'), LIMITS);
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'header_injection',
      seen: { from: 'mallory@example.net', messageId: '<inject-0012@fixtures.seamline.test>' },
    });
  });
});

describe('inbound mail parsing: mail no person wrote', () => {
  const mail = (headers: string, body = 'I am out of the office.', contentType = 'text/plain') =>
    Buffer.from(
      `From: someone@customer.test\r\nTo: support@shop.test\r\nSubject: Re: your order\r\n` +
        `Message-ID: <auto-${Math.random()}@customer.test>\r\nMIME-Version: 1.0\r\n${headers}` +
        `Content-Type: ${contentType}\r\n\r\n${body}\r\n`,
    );

  it.each([
    ['Auto-Submitted: auto-replied\r\n', 'Auto-Submitted: auto-replied'],
    ['Auto-Submitted: auto-generated\r\n', 'Auto-Submitted: auto-generated'],
    ['X-Autoreply: yes\r\n', 'x-autoreply'],
    ['X-Autorespond: vacation\r\n', 'x-autorespond'],
    ['Precedence: auto_reply\r\n', 'Precedence: auto_reply'],
    ['Precedence: bulk\r\n', 'Precedence: bulk'],
  ])('recognises an automatic answer by %j', async (headers, evidence) => {
    expect(accepted(await parseInbound(mail(headers), LIMITS)).automated).toMatchObject({
      kind: 'auto_reply',
      evidence,
    });
  });

  it('takes a person who says Auto-Submitted: no, or says nothing, for a person', async () => {
    expect(accepted(await parseInbound(mail('Auto-Submitted: no\r\n'), LIMITS)).automated).toBeNull();
    expect(accepted(await parseInbound(mail(''), LIMITS)).automated).toBeNull();
  });

  it('reads a delivery status notification: what it reports on, and why', async () => {
    const report = Buffer.from(
      [
        'From: MAILER-DAEMON@mx.customer.test',
        'To: support@shop.test',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.customer.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.customer.test',
        '',
        'Status: 5.2.2',
        'Diagnostic-Code: smtp; 552 mailbox full',
        '--b',
        'Content-Type: text/rfc822-headers',
        '',
        'Message-ID: <reply-2.6f1c2a3b-0000-4000-8000-000000000001@shop.test>',
        '--b--',
        '',
      ].join('\r\n'),
    );
    expect(accepted(await parseInbound(report, LIMITS)).automated).toEqual({
      kind: 'delivery_report',
      evidence: 'multipart/report; report-type=delivery-status',
      reportedMessageIds: ['<reply-2.6f1c2a3b-0000-4000-8000-000000000001@shop.test>'],
      diagnostic: '5.2.2; smtp; 552 mailbox full',
    });
  });
});

describe('reply splitting', () => {
  it('keeps interleaved answers and drops the quoted lines between them', () => {
    const split = splitReply('> Which size did you order?\nMedium.\n> And which colour?\nBlue.\n');
    expect(split.new).toBe('Medium.\nBlue.');
    expect(split.quoted).toBe('> Which size did you order?\n> And which colour?');
  });

  it('classifies a message that is all quote on everything it has', () => {
    expect(splitReply('> only a quote\n> nothing else').new).toBe('> only a quote\n> nothing else');
  });

  it('recognises attributions wrapped over two lines and in other languages', () => {
    expect(
      splitReply('Danke!\n\nAm 3. März 2025 um 10:12 schrieb Shop Support\n<support@shop.test>:\n> Hallo').new,
    ).toBe('Danke!');
    expect(splitReply('Merci\n\nLe lun. 3 mars 2025 à 10:12, Shop <s@shop.test> a écrit :\n> Bonjour').new).toBe(
      'Merci',
    );
    expect(
      splitReply('Thanks\n\nOn Mon, 3 Mar 2025 at 10:12, Shop Support <support@shop.test>\nwrote:\n> Hi').new,
    ).toBe('Thanks');
  });
});

describe('addressing and ticket tokens', () => {
  const support = new SupportAddresses(['support@shop.test', 'help@shop.test']);

  it('accepts support addresses and their plus forms only', () => {
    expect(support.accepts('Support@Shop.Test')).toBe(true);
    expect(support.accepts('support+SL-6f1c2a3b@shop.test')).toBe(true);
    expect(support.accepts('sales@shop.test')).toBe(false);
    expect(support.accepts('support@other.test')).toBe(false);
  });

  it('reads a ticket token from the subject or a plus address', () => {
    const ticketId = '6f1c2a3b-1111-4222-8333-944455556666';
    expect(ticketToken(ticketId)).toBe('[#SL-6f1c2a3b]');
    expect(takeSubjectToken(`Re: Where is my parcel? ${ticketToken(ticketId)}`)).toEqual({
      token: '6f1c2a3b',
      subject: 'Re: Where is my parcel?',
    });
    expect(takeSubjectToken('Order #SL-10001 late')).toEqual({ token: null, subject: 'Order #SL-10001 late' });
    expect(support.tokenAmong(['someone@else.test', 'help+sl-6F1C2A3B@shop.test'])).toBe('6f1c2a3b');
    expect(support.tokenAmong(['other+6f1c2a3b@shop.test'])).toBeNull();
  });
});

describe('the Postmark webhook payload', () => {
  const payload = {
    MessageID: '0f6ae2b1-4c5d-4e6f-8a9b-0c1d2e3f4a5b',
    FromFull: { Email: 'lena@example.se', Name: 'Lena Berg', MailboxHash: '' },
    ToFull: [{ Email: 'support+SL-6f1c2a3b@shop.test', Name: 'Support', MailboxHash: 'SL-6f1c2a3b' }],
    OriginalRecipient: 'support+SL-6f1c2a3b@shop.test',
    Subject: 'Re: Your return',
    Date: 'Tue, 18 Mar 2025 10:00:00 +0100',
    TextBody:
      'The label did not print, can you send it again?\n\nOn Mon, 17 Mar 2025, Shop wrote:\n> Here is your return label.',
    HtmlBody: '<p>The label did not print, can you send it again?</p>',
    Headers: [
      { Name: 'Message-ID', Value: '<CAB-lena-0001@mail.example.se>' },
      { Name: 'In-Reply-To', Value: '<reply-1.abc@seamline.local>' },
      { Name: 'X-Spam-Status', Value: 'No' },
    ],
    Attachments: [
      {
        Name: 'label.pdf',
        Content: Buffer.from('%PDF-1.4 label').toString('base64'),
        ContentType: 'application/pdf',
        ContentLength: 14,
      },
    ],
    SomeFieldPostmarkAddsLater: true,
  };

  it('becomes an RFC 5322 message that parses like SMTP mail', async () => {
    const { raw, recipients, composed } = await postmarkToMime(parsePostmarkPayload(payload));
    expect(composed).toBe(true);
    expect(recipients).toContain('support+sl-6f1c2a3b@shop.test');
    const mail = accepted(await parseInbound(raw, LIMITS));
    expect(mail.messageKey).toBe('<CAB-lena-0001@mail.example.se>');
    expect(mail.inReplyTo).toBe('<reply-1.abc@seamline.local>');
    expect(mail.from).toEqual({ email: 'lena@example.se', name: 'Lena Berg' });
    expect(mail.text.new).toBe('The label did not print, can you send it again?');
    expect(mail.attachments).toMatchObject([{ filename: 'label.pdf', contentType: 'application/pdf', size: 14 }]);
  });

  it("uses Postmark's stable id when the mail had no Message-ID, and the raw email when Postmark includes it", async () => {
    const noId = { ...payload, Headers: [] };
    const a = accepted(await parseInbound((await postmarkToMime(parsePostmarkPayload(noId))).raw, LIMITS));
    const b = accepted(await parseInbound((await postmarkToMime(parsePostmarkPayload(noId))).raw, LIMITS));
    expect(a.messageKey).toBe(`<${payload.MessageID}@inbound.postmarkapp.com>`);
    expect(b.messageKey).toBe(a.messageKey);
    expect(b.contentHash).toBe(a.contentHash);

    const withRaw = await postmarkToMime(
      parsePostmarkPayload({ ...payload, RawEmail: fixture('01-plain.eml').toString('utf8') }),
    );
    expect(withRaw.composed).toBe(false);
    expect(accepted(await parseInbound(withRaw.raw, LIMITS)).messageKey).toBe('<plain-0001@fixtures.seamline.test>');
  });

  it('rejects a payload that is not Postmark inbound JSON', () => {
    expect(() => parsePostmarkPayload({ From: 'x' })).toThrow(/MessageID/);
    expect(() => parsePostmarkPayload('nope')).toThrow(/Postmark/);
  });
});

describe('the parser pool (parser processes from the build)', () => {
  beforeAll(() => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: build first (npx tsc -p tsconfig.build.json)`);
  });

  it('parses in child processes, and survives a timeout and an out-of-memory parse', async () => {
    const pool = new ParserPool({
      size: 1,
      timeoutMs: 10_000,
      memoryMb: 32,
      maxQueue: 2,
      limits: { ...LIMITS, maxBytes: 50_000_000, maxHtmlChars: 100_000_000 },
      script: WORKER,
    });
    try {
      const mail = accepted(await pool.parse(fixture('07-inline-image-and-attachment.eml')));
      expect(mail.attachments.map((a) => a.content?.length)).toEqual([71, 84]);

      // 30 MB of HTML converted to text in a 32 MB heap: the parser process dies, the message is quarantined, the pool goes on.
      const huge = Buffer.from(
        `From: a@example.com\r\nSubject: big\r\nContent-Type: text/html\r\n\r\n<p>${'word '.repeat(6_000_000)}</p>\r\n`,
      );
      expect(await pool.parse(huge)).toMatchObject({ ok: false, reason: 'parse_resource_limit' });
      expect(accepted(await pool.parse(fixture('01-plain.eml'))).from.email).toBe('maria.rossi@example.com');
      expect(pool.stats.crashes).toBe(1);
    } finally {
      await pool.close();
    }

    const slow = new ParserPool({ size: 1, timeoutMs: 1, memoryMb: 64, maxQueue: 0, limits: LIMITS, script: WORKER });
    try {
      const first = slow.parse(fixture('01-plain.eml'));
      // One parser, no queue: a second message while the first is parsing is refused, not buffered.
      await expect(slow.parse(fixture('01-plain.eml'))).rejects.toBeInstanceOf(ParserBusyError);
      expect(await first).toMatchObject({ ok: false, reason: 'parse_timeout' });
      expect(slow.stats.timeouts).toBe(1);
    } finally {
      await slow.close();
    }
  });
});

describe('sender trust (mailauth, DMARC)', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dkimRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const zone: Record<string, string[][]> = {
    'sel1._domainkey.customer.test': [[dkimRecord]],
    '_dmarc.customer.test': [['v=DMARC1; p=reject; adkim=r; aspf=r']],
    'customer.test': [['v=spf1 -all']],
  };
  const resolver: DNSResolver = async (name, rrtype) => {
    const records = rrtype === 'TXT' ? zone[name.toLowerCase()] : undefined;
    if (records) return records;
    throw Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' });
  };
  const message = Buffer.from(
    'From: VIP Customer <vip@customer.test>\r\nTo: support@shop.test\r\nSubject: Priority order\r\n' +
      'Date: Wed, 19 Mar 2025 09:00:00 +0000\r\nMessage-ID: <vip-1@customer.test>\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n\r\nPlease expedite my order SL-20001.\r\n',
  );
  const smtp = { remoteAddress: '192.0.2.10', helo: 'mx.customer.test', mailFrom: 'vip@customer.test' };
  const trust = new SenderTrustEvaluator({ dmarcRequired: true, resolver, timeoutMs: 5_000, mta: 'mx.shop.test' });

  it('trusts a known customer whose From domain passes DMARC (aligned DKIM)', async () => {
    const key = {
      signingDomain: 'customer.test',
      selector: 'sel1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    };
    const { signatures } = await dkimSign(message, { ...key, signatureData: [key] });
    expect(signatures).toMatch(/^DKIM-Signature: .*d=customer\.test/);
    const signed = Buffer.concat([Buffer.from(signatures), message]);
    const result = await trust.evaluate({
      raw: signed,
      channel: 'smtp',
      fromEmail: 'vip@customer.test',
      knownCustomer: true,
      smtp,
    });
    expect(result).toMatchObject({ verified: true, dmarc: 'pass', domain: 'customer.test' });
  });

  it('does not trust a spoofed VIP address, and says why', async () => {
    const result = await trust.evaluate({
      raw: message,
      channel: 'smtp',
      fromEmail: 'vip@customer.test',
      knownCustomer: true,
      smtp,
    });
    expect(result).toMatchObject({ verified: false, knownCustomer: true, dmarc: 'fail' });
    expect(result.reason).toMatch(/DMARC fail for customer\.test.*no VIP treatment/);
  });

  it('does not trust an unknown sender, nor an unauthenticated From on the authenticated HTTP channels', async () => {
    const unknown = await trust.evaluate({
      raw: message,
      channel: 'smtp',
      fromEmail: 'vip@customer.test',
      knownCustomer: false,
      smtp,
    });
    expect(unknown).toMatchObject({ verified: false, dmarc: 'not_checked' });
    expect(unknown.reason).toMatch(/not a known customer/);
    const viaWebhook = await trust.evaluate({
      raw: message,
      channel: 'postmark',
      fromEmail: 'vip@customer.test',
      knownCustomer: true,
    });
    expect(viaWebhook).toMatchObject({ verified: false, knownCustomer: true });
    expect(viaWebhook.reason).toMatch(/no VIP treatment, no order lookup by sender address and no automatic reply/);
  });

  it('trusts a DKIM-aligned From on the HTTP channels, and a trusted relay that reports dmarc=pass', async () => {
    const key = {
      signingDomain: 'customer.test',
      selector: 'sel1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    };
    const { signatures } = await dkimSign(message, { ...key, signatureData: [key] });
    const signed = Buffer.concat([Buffer.from(signatures), message]);
    const viaMime = await trust.evaluate({
      raw: signed,
      channel: 'mime',
      fromEmail: 'vip@customer.test',
      knownCustomer: true,
    });
    expect(viaMime).toMatchObject({ verified: true, dmarc: 'pass', domain: 'customer.test' });

    const relayed = new SenderTrustEvaluator({ dmarcRequired: true, resolver, trustedAuthservIds: ['mx.relay.test'] });
    const header = (id: string, domain = 'customer.test') =>
      Buffer.concat([
        Buffer.from(`Authentication-Results: ${id}; dkim=none;\r\n dmarc=pass (p=reject) header.from=${domain}\r\n`),
        message,
      ]);
    const evaluate = (raw: Buffer) =>
      relayed.evaluate({ raw, channel: 'postmark', fromEmail: 'vip@customer.test', knownCustomer: true });
    expect(await evaluate(header('mx.relay.test'))).toMatchObject({ verified: true, dmarc: 'pass' });
    expect(await evaluate(header('MX.Relay.Test'))).toMatchObject({ verified: true });
    // A verdict about another domain, or from a host nobody configured, proves nothing.
    expect(await evaluate(header('mx.relay.test', 'elsewhere.test'))).toMatchObject({ verified: false });
    expect(await evaluate(header('mx.attacker.test'))).toMatchObject({ verified: false });
  });

  it('treats DNS that does not answer in time as not verified (temperror)', async () => {
    const silent = new SenderTrustEvaluator({
      dmarcRequired: true,
      resolver: () => new Promise(() => {}),
      timeoutMs: 200,
    });
    const result = await silent.evaluate({
      raw: message,
      channel: 'smtp',
      fromEmail: 'vip@customer.test',
      knownCustomer: true,
      smtp,
    });
    expect(result).toMatchObject({ verified: false, dmarc: 'temperror' });
  });
});

describe('the SMTP listener transport (smtp-server): AUTH, STARTTLS and its answers', () => {
  let dir: string;
  let tls: { key: Buffer; cert: Buffer };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'seamline-smtp-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { stdio: 'pipe' },
      );
    } catch (error) {
      throw new Error(
        `this test makes a self-signed certificate with the openssl CLI, which failed or is missing: ${String(error)}`,
      );
    }
    tls = { key: readFileSync(key), cert: readFileSync(cert) };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withListener(
    deliver: (d: SmtpDelivery) => Promise<SmtpVerdict>,
    options: { auth?: boolean; tls?: boolean } = {},
    test: (port: number) => Promise<void>,
  ): Promise<void> {
    const listener = new SmtpIntakeListener({
      host: '127.0.0.1',
      port: 0,
      maxBytes: 10_000,
      maxClients: 5,
      maxRecipients: 5,
      socketTimeoutMs: 10_000,
      acceptsRecipient: (address) => new SupportAddresses(['support@shop.test']).accepts(address),
      deliver,
      ...(options.auth ? { auth: { user: 'relay', password: 'relay-password' } } : {}),
      ...(options.tls ? { tls } : {}),
    });
    const port = await listener.listen();
    try {
      await test(port);
    } finally {
      await listener.close();
    }
  }

  const raw = fixture('01-plain.eml');
  const send = async (
    port: number,
    extra: Record<string, unknown> = {},
    to = 'support@shop.test',
    body: Buffer = raw,
  ) => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra });
    try {
      const info = (await transport.sendMail({ envelope: { from: 'mta@relay.test', to: [to] }, raw: body })) as {
        response: string;
      };
      return Number(info.response.slice(0, 3));
    } catch (error) {
      return (error as { responseCode?: number }).responseCode ?? -1;
    } finally {
      transport.close();
    }
  };

  it('requires AUTH when configured and offers STARTTLS with a certificate', async () => {
    const deliveries: SmtpDelivery[] = [];
    const accept = async (d: SmtpDelivery): Promise<SmtpVerdict> => {
      deliveries.push(d);
      return { accepted: true, message: 'OK' };
    };
    await withListener(accept, { auth: true, tls: true }, async (port) => {
      expect(await send(port, { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } })).toBe(530);
      expect(
        await send(port, {
          ignoreTLS: false,
          requireTLS: true,
          tls: { rejectUnauthorized: false },
          auth: { user: 'relay', pass: 'wrong-password' },
        }),
      ).toBe(535);
      expect(
        await send(port, {
          ignoreTLS: false,
          requireTLS: true,
          tls: { rejectUnauthorized: false },
          auth: { user: 'relay', pass: 'relay-password' },
        }),
      ).toBe(250);
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      secure: true,
      authenticatedUser: 'relay',
      rcptTo: ['support@shop.test'],
      mailFrom: 'mta@relay.test',
    });
    expect(Buffer.compare(deliveries[0]!.raw, raw)).toBe(0);
  });

  it("answers 550, 552 and 451 as the recipient, the size and the pipeline's verdict say", async () => {
    let verdict: SmtpVerdict | Error = { accepted: true, message: 'OK' };
    const deliver = async (): Promise<SmtpVerdict> => {
      if (verdict instanceof Error) throw verdict;
      return verdict;
    };
    await withListener(deliver, {}, async (port) => {
      expect(await send(port)).toBe(250);
      expect(await send(port, {}, 'nobody@shop.test')).toBe(550);
      expect(await send(port, {}, 'support@shop.test', Buffer.concat([raw, Buffer.alloc(20_000, 'x')]))).toBe(552);
      verdict = new Error('database down');
      expect(await send(port)).toBe(451);
      verdict = { accepted: false, code: 451, message: 'busy' };
      expect(await send(port)).toBe(451);
    });
  });
});
