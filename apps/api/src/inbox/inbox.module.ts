import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { TicketChangeFeed } from '../../../../libs/persistence';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { InboxStreamService } from './inbox-stream.service';

/**
 * The inbox: listing, counts and the live stream. One TicketChangeFeed (PostgreSQL LISTEN on `ticket_changes`)
 * per API process feeds every open stream and keeps the queue counts cache honest.
 */
@Module({
  controllers: [InboxController],
  providers: [
    {
      provide: TicketChangeFeed,
      inject: [SEAMLINE_CONFIG],
      useFactory: (config: SeamlineConfig) => {
        const logger = new Logger('TicketChangeFeed');
        return new TicketChangeFeed(config.database.url, (message) => logger.warn(message));
      },
    },
    InboxService,
    InboxStreamService,
  ],
})
export class InboxModule implements OnApplicationShutdown {
  constructor(@Inject(TicketChangeFeed) private readonly feed: TicketChangeFeed) {}

  async onApplicationShutdown(): Promise<void> {
    await this.feed.close();
  }
}
