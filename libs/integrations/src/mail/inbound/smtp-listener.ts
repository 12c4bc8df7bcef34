/**
 * The inbound SMTP listener (smtp-server). It speaks SMTP and nothing else: recipients are checked against the
 * support addresses (550 otherwise), a message over the size limit is refused (552), and every accepted message
 * is handed to `deliver`, whose verdict is the answer. The contract with `deliver` is what makes the listener
 * lossless: answer 250 only once the raw message is durably stored and its ticket has it; anything else is a
 * temporary failure (451), so the sending MTA keeps the message and retries.
 *
 * Memory is bounded by `maxClients` × `maxBytes`: a message is buffered only up to the limit, the rest of an
 * oversized one is read and dropped.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { readBounded } from './read-bounded';

export interface SmtpDelivery {
  raw: Buffer;
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress: string;
  /** The name the client gave in EHLO/HELO. */
  helo: string;
  secure: boolean;
  authenticatedUser: string | null;
}

export type SmtpVerdict =
  { accepted: true; message: string } | { accepted: false; code: 451 | 452 | 550 | 552 | 554; message: string };

export interface SmtpListenerOptions {
  host: string;
  port: number;
  /** Host name in the greeting; default: the OS host name. */
  name?: string | null;
  maxBytes: number;
  maxClients: number;
  maxRecipients: number;
  socketTimeoutMs: number;
  acceptsRecipient(address: string): boolean;
  deliver(delivery: SmtpDelivery): Promise<SmtpVerdict>;
  /** STARTTLS with this key and certificate (PEM). */
  tls?: { key: Buffer; cert: Buffer } | null;
  /** Require AUTH PLAIN/LOGIN with these credentials (for a relay that hands mail on). */
  auth?: { user: string; password: string } | null;
  onError?(error: Error): void;
}

export class SmtpIntakeListener {
  private server: SMTPServer | null = null;
  /** Messages whose DATA is being received or delivered right now. */
  private inFlight = 0;
  readonly stats = { accepted: 0, tempFailed: 0, rejected: 0, oversized: 0 };

  constructor(private readonly options: SmtpListenerOptions) {}

  async listen(): Promise<number> {
    const o = this.options;
    const server = new SMTPServer({
      ...(o.name ? { name: o.name } : {}),
      banner: 'Seamline support intake',
      size: o.maxBytes,
      rejectOversized: true,
      maxClients: o.maxClients,
      maxRecipients: o.maxRecipients,
      socketTimeout: o.socketTimeoutMs,
      closeTimeout: 5_000,
      disableReverseLookup: true,
      logger: false,
      authOptional: !o.auth,
      // AUTH over a clear connection only when no TLS is configured at all (loopback relays, development).
      allowInsecureAuth: !o.tls,
      disabledCommands: [...(o.tls ? [] : ['STARTTLS']), ...(o.auth ? [] : ['AUTH'])],
      ...(o.tls ? { key: o.tls.key, cert: o.tls.cert } : {}),
      onAuth: (auth, _session, callback) => {
        const expected = o.auth;
        if (
          expected &&
          auth.username !== undefined &&
          sameSecret(auth.username, expected.user) &&
          sameSecret(auth.password ?? '', expected.password)
        ) {
          callback(null, { user: auth.username });
          return;
        }
        callback(smtpError(535, 'Authentication failed'));
      },
      onRcptTo: (address, _session, callback) => {
        if (o.acceptsRecipient(address.address)) callback();
        else callback(smtpError(550, `No such mailbox here: ${address.address.slice(0, 200)}`));
      },
      onData: (stream, session, callback) => {
        this.inFlight += 1;
        void this.receive(stream, session)
          .catch((error: unknown): SmtpVerdict => {
            this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
            return {
              accepted: false,
              code: 451,
              message: 'Temporary failure receiving the message, please retry later',
            };
          })
          .then((verdict) => {
            if (verdict.accepted) {
              this.stats.accepted += 1;
              callback(null, verdict.message);
            } else {
              if (verdict.code === 451 || verdict.code === 452) this.stats.tempFailed += 1;
              else this.stats.rejected += 1;
              callback(smtpError(verdict.code, verdict.message));
            }
          })
          .finally(() => {
            this.inFlight -= 1;
          });
      },
    });
    server.on('error', (error) => o.onError?.(error));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(o.port, o.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return (server.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections and waits (bounded by `closeTimeout`) for the ones in progress. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get messagesInFlight(): number {
    return this.inFlight;
  }

  private async receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<SmtpVerdict> {
    const raw = await readBounded(stream, this.options.maxBytes);
    if (raw === null || stream.sizeExceeded) {
      this.stats.oversized += 1;
      return {
        accepted: false,
        code: 552,
        message: `Message exceeds fixed maximum message size (${this.options.maxBytes} bytes)`,
      };
    }
    try {
      return await this.options.deliver({
        raw,
        mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        remoteAddress: session.remoteAddress,
        helo: typeof session.hostNameAppearsAs === 'string' ? session.hostNameAppearsAs : '',
        secure: session.secure,
        authenticatedUser: typeof session.user === 'string' ? session.user : null,
      });
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      return { accepted: false, code: 451, message: 'Temporary failure storing the message, please retry later' };
    }
  }
}

function smtpError(responseCode: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode });
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
