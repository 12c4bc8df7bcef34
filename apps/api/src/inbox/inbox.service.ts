import { Injectable, type OnModuleInit } from '@nestjs/common';
import { QUEUES, type Queue } from '../../../../libs/domain';
import {
  DEFAULT_INBOX_STATUSES,
  IdentityRepository,
  InboxRepository,
  TicketChangeFeed,
  type InboxItem,
  type InboxPosition,
} from '../../../../libs/persistence';
import type { UserPrincipal } from '../auth/principal';
import { decodeCursor, encodeCursor } from '../common/cursor';
import type { InboxItemDto, InboxPageDto, InboxQueryDto, QueueCountDto } from './inbox.dto';

const DEFAULT_LIMIT = 50;
/** Longest a cached count may live even if a change notification were missed. */
const COUNTS_TTL_MS = 5_000;

@Injectable()
export class InboxService implements OnModuleInit {
  /**
   * Waiting / breached per queue for all queues, shared by every user of this process. Counting every waiting
   * ticket costs a scan (tens of ms at 100k), and every open inbox asks after every change; so the answer is
   * kept until the next `ticket_changes` notification (or COUNTS_TTL_MS), then counted again once.
   */
  private countsCache: { at: number; value: Promise<{ queue: Queue; waiting: number; breached: number }[]> } | null =
    null;

  constructor(
    private readonly inbox: InboxRepository,
    private readonly identities: IdentityRepository,
    private readonly feed: TicketChangeFeed,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.feed.subscribe(() => {
      this.countsCache = null;
    });
  }

  /** Queues whose tickets the user may see. */
  visibleQueues(user: UserPrincipal): Queue[] {
    return user.role === 'agent' ? QUEUES.filter((q) => user.queues.includes(q)) : [...QUEUES];
  }

  async page(user: UserPrincipal, query: InboxQueryDto): Promise<InboxPageDto> {
    const visible = this.visibleQueues(user);
    const queues = query.queue ? visible.filter((q) => query.queue?.includes(q)) : visible;
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.inbox.list({
      queues,
      statuses: query.status ?? DEFAULT_INBOX_STATUSES,
      priorities: query.priority,
      slaStates: query.slaState,
      intents: query.intent,
      after: query.cursor ? afterCursor(query.cursor) : null,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const names = await this.identities.displayNames(
      items.map((i) => i.claimedBy).filter((id): id is string => id !== null),
    );
    return {
      items: items.map((item) => present(item, names)),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ at: last.slaDeadline?.toISOString() ?? null, id: last.id }) : null,
      queues,
    };
  }

  async counts(user: UserPrincipal): Promise<QueueCountDto[]> {
    const visible = this.visibleQueues(user);
    const cached = this.countsCache;
    const fresh = cached && Date.now() - cached.at < COUNTS_TTL_MS && this.feed.listening ? cached : null;
    const entry = fresh ?? { at: Date.now(), value: this.inbox.counts(QUEUES) };
    if (!fresh) {
      this.countsCache = entry;
      entry.value.catch(() => {
        if (this.countsCache === entry) this.countsCache = null;
      });
    }
    const counts = await entry.value;
    return visible.map((queue) => counts.find((c) => c.queue === queue) ?? { queue, waiting: 0, breached: 0 });
  }
}

function present(item: InboxItem, names: ReadonlyMap<string, string>): InboxItemDto {
  return {
    ticketId: item.id,
    subject: item.subject,
    customerEmail: item.customerEmail,
    status: item.status,
    route: item.route,
    queue: item.queue,
    priority: item.priority,
    claimedBy: item.claimedBy,
    claimedByName: item.claimedBy ? (names.get(item.claimedBy) ?? item.claimedBy) : null,
    escalated: item.escalated,
    sla: { state: item.slaState, deadline: item.slaDeadline?.toISOString() ?? null },
    confidence: item.confidence,
    primaryIntent: item.primaryIntent,
    draftVersion: item.draftVersion,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** The inbox position a cursor names: the SLA deadline (none sorts last) and id of the last item seen. */
function afterCursor(cursor: string): InboxPosition {
  const { at, id } = decodeCursor(cursor);
  return { deadline: at, id };
}
