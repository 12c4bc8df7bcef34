import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  messageId: string | null;
  receivedAt: Date;
}

/**
 * How the sink misbehaves, for tests of delivery under faults: refuse every recipient with a temporary (4xx) or a
 * permanent (5xx) SMTP answer, or take `delayMs` before accepting a message it has fully read (a slow server: the
 * message counts as received when the sink answers 250, not before).
 */
export type SmtpSinkFault = { kind: 'refuse'; code: number } | { kind: 'slow'; delayMs: number };

/**
 * A real SMTP server that accepts every message and keeps it: the outbox's far end for development and tests.
 * With `directory`, each message is also written there as an .eml file. `fault` makes it refuse or stall (tests).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipients refused so far (each `RCPT TO` answered with the fault's code). */
  refused = 0;
  /** The current misbehaviour; null: accept everything at once. */
  fault: SmtpSinkFault | null = null;
  private server?: SMTPServer;

  constructor(
    private readonly options: {
      directory?: string;
      maxBytes?: number;
      /** Holds every recipient this long before accepting it: a slow server, for tests of sends in flight. */
      recipientDelayMs?: number;
      /** Refuses a recipient with this SMTP reply (e.g. `{ code: 451, message: '<addr>: try later' }`), for tests. */
      refuse?: (address: string) => { code: number; message: string } | null;
    } = {},
  ) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    if (this.options.directory) await mkdir(this.options.directory, { recursive: true });
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: this.options.maxBytes ?? 10 * 1024 * 1024,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const refusal = this.options.refuse?.(address.address);
        if (refusal) {
          return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        }
        const fault = this.fault;
        if (fault?.kind === 'refuse') {
          this.refused += 1;
          const error = Object.assign(new Error(`mailbox unavailable (test fault ${fault.code})`), {
            responseCode: fault.code,
          });
          return callback(error);
        }
        setTimeout(() => callback(), this.options.recipientDelayMs ?? 0);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const fault = this.fault;
          const delayMs = fault?.kind === 'slow' ? fault.delayMs : 0;
          setTimeout(() => accept(), delayMs);
        });
        const accept = (): void => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const mail: ReceivedMail = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            messageId: /^message-id:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? null,
            receivedAt: new Date(),
          };
          this.received.push(mail);
          this.persist(mail).then(() => callback(), callback);
        };
      },
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return (server.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async persist(mail: ReceivedMail): Promise<void> {
    if (!this.options.directory) return;
    const name = `${mail.receivedAt.toISOString().replace(/[:.]/g, '-')}-${this.received.length}.eml`;
    await writeFile(join(this.options.directory, name), mail.raw);
  }
}
