import { Injectable } from '@nestjs/common';
import { DomainError, isUuid } from '../../../../libs/domain';
import { IntakeRepository } from '../../../../libs/persistence';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { QuarantineItemDto, QuarantineListDto, QuarantineQueryDto } from './inbound.dto';

/** The supervisors' view of quarantined mail: newest first, keyset-paginated, raw message on request. */
@Injectable()
export class QuarantineService {
  constructor(private readonly intake: IntakeRepository) {}

  async list(query: QuarantineQueryDto): Promise<QuarantineListDto> {
    const limit = query.limit ?? 50;
    const rows = await this.intake.listQuarantine({
      limit: limit + 1,
      before: query.cursor ? beforeCursor(query.cursor) : null,
      reason: query.reason ?? null,
      state: query.state ?? 'open',
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const items: QuarantineItemDto[] = page.map((r) => ({
      id: r.id,
      reason: r.reason,
      detail: r.detail,
      quarantinedAt: r.createdAt.toISOString(),
      receivedAt: r.receivedAt.toISOString(),
      channel: r.channel,
      sizeBytes: r.sizeBytes,
      deliveries: r.deliveries,
      messageId: r.messageKey,
      from: r.fromEmail,
      subject: r.subject,
      envelopeFrom: r.envelopeFrom,
      envelopeTo: r.envelopeTo,
      rawPath: `/api/v1/inbound/quarantine/${r.id}/raw`,
      resolution: r.resolution,
      resolvedBy: r.resolvedBy,
      resolvedAt: r.resolvedAt?.toISOString() ?? null,
      resolutionReason: r.resolutionReason,
      releasedTicketId: r.releasedTicketId,
    }));
    return { items, next: rows.length > limit && last ? encodeCursor({ at: last.cursorAt, id: last.id }) : null };
  }

  async raw(id: string): Promise<Buffer> {
    const found = isUuid(id) ? await this.intake.quarantinedRaw(id) : null;
    if (!found) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${id}`);
    return found.raw;
  }
}

/** The quarantine position a cursor names: when the last entry seen was quarantined, and its id. */
function beforeCursor(cursor: string): { at: string; id: string } {
  const { at, id } = decodeCursor(cursor);
  // Entries always have a time; a position without one reads from the newest entry on, like the first page.
  return { at: at ?? 'infinity', id };
}
