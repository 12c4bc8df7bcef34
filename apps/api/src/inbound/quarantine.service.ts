import { Injectable } from '@nestjs/common';
import { DomainError, isUuid } from '../../../../libs/domain';
import { IntakeRepository } from '../../../../libs/persistence';
import type { QuarantineItemDto, QuarantineListDto, QuarantineQueryDto } from './inbound.dto';

/** The supervisors' view of quarantined mail: newest first, keyset-paginated, raw message on request. */
@Injectable()
export class QuarantineService {
  constructor(private readonly intake: IntakeRepository) {}

  async list(query: QuarantineQueryDto): Promise<QuarantineListDto> {
    const limit = query.limit ?? 50;
    const rows = await this.intake.listQuarantine({
      limit: limit + 1,
      before: decodeCursor(query.cursor),
      reason: query.reason ?? null,
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
    }));
    return { items, next: rows.length > limit && last ? encodeCursor(last.cursorAt, last.id) : null };
  }

  async raw(id: string): Promise<Buffer> {
    const found = isUuid(id) ? await this.intake.quarantinedRaw(id) : null;
    if (!found) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${id}`);
    return found.raw;
  }
}

function encodeCursor(at: string, id: string): string {
  return Buffer.from(`${at}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { at: string; id: string } | null {
  if (!cursor) return null;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || !isUuid(id) || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/.test(at)) {
    throw new DomainError('VALIDATION_FAILED', 'cursor is not one this API returned', {
      fields: { cursor: ['invalid cursor'] },
    });
  }
  return { at, id };
}
