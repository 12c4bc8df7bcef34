import { Module } from '@nestjs/common';
import { IngestMessage } from './ingest-message';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

/**
 * Tickets over HTTP: ingestion, the briefing and agent decisions. Exports the ingestion use case, so every
 * other door for customer messages (inbound email) takes them in exactly as POST /tickets does.
 */
@Module({
  controllers: [TicketsController],
  providers: [IngestMessage, TicketsService],
  exports: [IngestMessage],
})
export class TicketsModule {}
