import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError } from '../../../../libs/domain';
import { SmtpIntakeListener, type SmtpDelivery, type SmtpVerdict } from '../../../../libs/integrations/mail-inbound';
import { InboundMailService } from './inbound-mail.service';

/**
 * Runs the SMTP listener inside the API process when INBOUND_SMTP_ENABLED=true (off by default). It starts after
 * the application is up (database and Temporal connected) and stops first on shutdown, before the connections
 * it needs are closed; messages in progress finish or get 451 from the bounded close.
 */
@Injectable()
export class SmtpIntakeService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SmtpIntake');
  private listener: SmtpIntakeListener | null = null;
  port: number | null = null;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly pipeline: InboundMailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { smtp, maxBytes } = this.config.inbound;
    if (!smtp.enabled) return;
    const listener = new SmtpIntakeListener({
      host: smtp.host,
      port: smtp.port,
      name: smtp.name,
      maxBytes,
      maxClients: smtp.maxClients,
      maxRecipients: smtp.maxRecipients,
      socketTimeoutMs: smtp.socketTimeoutMs,
      tls: smtp.tls ? { key: readFileSync(smtp.tls.keyFile), cert: readFileSync(smtp.tls.certFile) } : null,
      auth: smtp.auth,
      acceptsRecipient: (address) => this.pipeline.support.accepts(address),
      deliver: (delivery) => this.deliver(delivery),
      onError: (error) => this.logger.warn(`SMTP: ${error.message}`),
    });
    this.port = await listener.listen();
    this.listener = listener;
    if (smtp.auth && !smtp.tls)
      this.logger.warn('SMTP AUTH is enabled without TLS: credentials cross the network in the clear');
    this.logger.log(`SMTP listener on ${smtp.host}:${this.port} for ${this.pipeline.support.list().join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
  }

  private async deliver(delivery: SmtpDelivery): Promise<SmtpVerdict> {
    try {
      const outcome = await this.pipeline.receive(delivery.raw, {
        channel: 'smtp',
        envelope: { mailFrom: delivery.mailFrom, rcptTo: delivery.rcptTo },
        smtp: { remoteAddress: delivery.remoteAddress, helo: delivery.helo },
      });
      // Quarantined mail is stored too: accepting it is what "never drop" means (supervisors see it).
      return outcome.status === 'accepted'
        ? { accepted: true, message: `OK: queued as ${outcome.messageKey.slice(0, 200)}` }
        : { accepted: true, message: `OK: held for review (${outcome.reason})` };
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INBOUND_TOO_LARGE')
        return { accepted: false, code: 552, message: error.message };
      // Storage, Temporal or parser capacity: temporary. The sender keeps the message and retries.
      this.logger.warn(`SMTP delivery deferred (451): ${error instanceof Error ? error.message : String(error)}`);
      return { accepted: false, code: 451, message: 'Temporary failure, please retry later' };
    }
  }
}
