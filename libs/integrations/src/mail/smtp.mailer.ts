import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import nodemailer, { type Transporter } from 'nodemailer';
import { PermanentDeliveryError, type Mailer } from '../../../domain';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  from: string;
  auth?: { user: string; pass: string };
  /** Bound on one whole SMTP conversation (default 45 s). */
  totalTimeoutMs?: number;
}

/**
 * Sends replies over SMTP. A 5xx answer is permanent; everything else is left to Temporal's retries. One send is
 * bounded in total (`totalTimeoutMs`, below the activity's start-to-close timeout), so Temporal never starts a retry
 * while the first conversation still runs; each step of the conversation has its own shorter timeout.
 */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      ...(settings.auth ? { auth: settings.auth } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      socketCloseTimeout: 2_000,
    });
  }

  /** One SMTP conversation, in a CLIENT span when tracing is on (its attributes: the host and the reply's code only). */
  async send(mail: Parameters<Mailer['send']>[0], signal?: AbortSignal): Promise<void> {
    return trace.getTracer('seamline').startActiveSpan(
      'smtp send',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'server.address': this.settings.host, 'server.port': this.settings.port },
      },
      async (span) => {
        try {
          await this.deliver(mail, signal);
        } catch (error) {
          const code = (error as { responseCode?: number }).responseCode;
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
          if (typeof code === 'number') span.setAttribute('smtp.response_code', code);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async deliver(mail: Parameters<Mailer['send']>[0], signal?: AbortSignal): Promise<void> {
    const bound = AbortSignal.timeout(this.settings.totalTimeoutMs ?? 45_000);
    try {
      await this.transport.sendMail({
        signal: signal ? AbortSignal.any([signal, bound]) : bound,
        from: this.settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references?.length || mail.inReplyTo
          ? { references: mail.references?.length ? mail.references : [mail.inReplyTo as string] }
          : {}),
      });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code === 'number' && code >= 500 && code < 600) {
        throw new PermanentDeliveryError(`SMTP rejected the reply permanently (${code})`);
      }
      throw error;
    }
  }

  close(): void {
    this.transport.close();
  }
}
