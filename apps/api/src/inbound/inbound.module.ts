import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { hostname } from 'node:os';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DEFAULT_PARSE_LIMITS, ParserPool, SenderTrustEvaluator } from '../../../../libs/integrations/mail-inbound';
import { TicketsModule } from '../tickets/tickets.module';
import { InboundController } from './inbound.controller';
import { InboundMailService } from './inbound-mail.service';
import { IntakeRecoveryService } from './intake-recovery.service';
import { PostmarkAuthGuard } from './postmark-auth.guard';
import { QuarantineService } from './quarantine.service';
import { SmtpIntakeService } from './smtp-intake.service';

/**
 * Inbound email: POST /inbound/mime, the Postmark webhook, the SMTP listener (INBOUND_SMTP_ENABLED), the
 * quarantine list. A message that passes the pipeline is ingested by the tickets module's use case.
 */
@Module({
  imports: [TicketsModule],
  controllers: [InboundController],
  providers: [
    {
      provide: ParserPool,
      inject: [SEAMLINE_CONFIG],
      useFactory: ({ inbound }: SeamlineConfig) =>
        new ParserPool({
          size: inbound.parsers,
          timeoutMs: inbound.parseTimeoutMs,
          memoryMb: inbound.parseMemoryMb,
          maxQueue: Math.max(64, inbound.smtp.maxClients * 2),
          limits: {
            ...DEFAULT_PARSE_LIMITS,
            maxBytes: inbound.maxBytes,
            attachmentMaxBytes: inbound.attachmentMaxBytes,
            maxParts: inbound.maxParts,
            maxDepth: inbound.maxDepth,
          },
        }),
    },
    {
      provide: SenderTrustEvaluator,
      inject: [SEAMLINE_CONFIG],
      useFactory: ({ inbound }: SeamlineConfig) =>
        new SenderTrustEvaluator({
          dmarcRequired: inbound.dmarcRequired,
          trustedAuthservIds: inbound.trustedAuthservIds,
          dnsServers: inbound.dns.servers,
          dnsTimeoutMs: inbound.dns.timeoutMs,
          timeoutMs: inbound.dns.timeoutMs * 4,
          mta: inbound.smtp.name ?? hostname(),
        }),
    },
    InboundMailService,
    QuarantineService,
    PostmarkAuthGuard,
    SmtpIntakeService,
    IntakeRecoveryService,
  ],
})
export class InboundModule implements OnModuleDestroy {
  constructor(@Inject(ParserPool) private readonly parsers: ParserPool) {}

  async onModuleDestroy(): Promise<void> {
    await this.parsers.close();
  }
}
