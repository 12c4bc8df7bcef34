import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { IntakeRepository } from '../../../../libs/persistence';
import { InboundMailService } from './inbound-mail.service';

/**
 * Finishes mail whose intake broke off: stored raw (so acknowledged, or at least kept) but never accepted or
 * quarantined, because the parser pool was full, the database or Temporal failed half-way, and the sender did not
 * redeliver. Each pass takes what has been quiet for `INBOUND_RETRY_SECONDS` through the same pipeline again, which
 * is idempotent: whatever the first attempt finished stays finished.
 */
@Injectable()
export class IntakeRecoveryService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IntakeRecovery');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly intake: IntakeRepository,
    private readonly pipeline: InboundMailService,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.inbound.retrySeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.runOnce(seconds).finally(() => (this.running = undefined));
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async runOnce(quietSeconds: number): Promise<number> {
    let finished = 0;
    try {
      const stalled = await this.intake.claimStalled({
        before: new Date(Date.now() - quietSeconds * 1000),
        limit: 50,
        leaseMs: 5 * 60_000,
      });
      for (const message of stalled) {
        try {
          await this.pipeline.receive(message.raw, { channel: message.channel, envelope: message.envelope });
          finished += 1;
        } catch (error) {
          this.logger.warn(`raw message ${message.rawId} still cannot be taken in: ${(error as Error).name}`);
        }
      }
      if (finished) this.logger.warn(`finished the intake of ${finished} stored messages`);
    } catch (error) {
      this.logger.error(`intake recovery failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return finished;
  }
}
