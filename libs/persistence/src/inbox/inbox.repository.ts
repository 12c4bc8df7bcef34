import type { Intent, Priority, Queue, Route, SlaState, TicketStatus } from '../../../domain';
import type { Queryable } from '../identity/identity.repository';

/** Statuses in which a ticket waits for a person; the inbox index covers exactly these. */
export const INBOX_STATUSES = ['awaiting_review', 'escalated', 'auto_send_pending'] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];
export const DEFAULT_INBOX_STATUSES: readonly InboxStatus[] = ['awaiting_review', 'escalated'];

export interface InboxPosition {
  /** The SLA deadline of the last item seen; null sorts after every deadline. */
  deadline: string | null;
  id: string;
}

export interface InboxQuery {
  /** Queues to read (already limited to what the caller may see). */
  queues: readonly Queue[];
  statuses: readonly InboxStatus[];
  priorities?: readonly Priority[];
  slaStates?: readonly SlaState[];
  intents?: readonly Intent[];
  after?: InboxPosition | null;
  limit: number;
}

export interface InboxItem {
  id: string;
  subject: string;
  customerEmail: string;
  status: TicketStatus;
  route: Route | null;
  queue: Queue;
  priority: Priority | null;
  claimedBy: string | null;
  escalated: boolean;
  slaState: SlaState;
  slaDeadline: Date | null;
  confidence: number | null;
  primaryIntent: Intent | null;
  draftVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

interface InboxRow {
  id: string;
  subject: string;
  customer_email: string;
  status: TicketStatus;
  route: Route | null;
  queue: Queue;
  priority: Priority | null;
  claimed_by: string | null;
  escalated: boolean;
  sla_state: SlaState;
  sla_deadline: Date | null;
  confidence: string | null;
  primary_intent: Intent | null;
  draft_version: number;
  created_at: Date;
  updated_at: Date;
}

const SORT_KEY = `coalesce(t.sla_deadline, 'infinity'::timestamptz)`;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * The inbox read: tickets waiting for a person, most urgent SLA deadline first, keyset-paginated on
 * (deadline, id). Each queue is one range scan of `tickets_inbox_idx` from the cursor on, so a page costs the
 * same at 100 or 100,000 tickets, and rows inserted while someone pages never shift or repeat what they see.
 */
export class InboxRepository {
  constructor(private readonly db: Queryable) {}

  async list(query: InboxQuery): Promise<InboxItem[]> {
    if (query.queues.length === 0 || query.statuses.length === 0) return [];
    const statuses = query.statuses.filter((s): s is InboxStatus => (INBOX_STATUSES as readonly string[]).includes(s));
    // Status literals come from the whitelist above: inlined, they let the planner prove the partial index applies.
    const statusList = statuses.map((s) => `'${s}'`).join(', ');
    const params: unknown[] = [
      [...new Set(query.queues)],
      query.after ? (query.after.deadline ?? 'infinity') : '-infinity',
      query.after ? query.after.id : NIL_UUID,
      query.limit,
    ];
    const filters: string[] = [];
    const add = (sql: (p: string) => string, value: readonly string[] | undefined) => {
      if (!value || value.length === 0) return;
      params.push([...new Set(value)]);
      filters.push(sql(`$${params.length}::text[]`));
    };
    add((p) => `t.priority = ANY(${p})`, query.priorities);
    add((p) => `t.sla_state = ANY(${p})`, query.slaStates);
    add((p) => `(t.triage -> 'classification' ->> 'primaryIntent') = ANY(${p})`, query.intents);
    // The page's keys first (index-only work per queue), then the columns of just those rows: the triage blob
    // (TOASTed) is opened for the page's rows only, not for every candidate of every queue.
    const rows: InboxRow[] = await this.db.query(
      `SELECT t.id, t.subject, t.customer_email, t.status, t.route, t.queue, t.priority, t.claimed_by, t.escalated,
              t.sla_state, t.sla_deadline, t.confidence, t.draft_version, t.created_at, t.updated_at,
              t.triage -> 'classification' ->> 'primaryIntent' AS primary_intent
         FROM (
           SELECT p.id, p.sort_key FROM unnest($1::text[]) AS q(queue)
           CROSS JOIN LATERAL (
             SELECT t.id, ${SORT_KEY} AS sort_key
               FROM tickets t
              WHERE t.queue = q.queue
                AND t.status IN (${statusList})
                AND (${SORT_KEY}, t.id) > ($2::timestamptz, $3::uuid)
                ${filters.map((f) => `AND ${f}`).join('\n                ')}
              ORDER BY ${SORT_KEY}, t.id
              LIMIT $4
           ) p
           ORDER BY p.sort_key, p.id
           LIMIT $4
         ) page
         JOIN tickets t ON t.id = page.id
        ORDER BY page.sort_key, page.id`,
      params,
    );
    return rows.map(toItem);
  }

  /** Waiting tickets per queue (and how many breached their SLA), for the queue badges. */
  async counts(queues: readonly Queue[]): Promise<{ queue: Queue; waiting: number; breached: number }[]> {
    if (queues.length === 0) return [];
    const rows: { queue: Queue; waiting: number; breached: number }[] = await this.db.query(
      `SELECT t.queue, count(*)::int AS waiting, (count(*) FILTER (WHERE t.sla_state = 'breached'))::int AS breached
         FROM tickets t
        WHERE t.queue = ANY($1::text[]) AND t.status IN ('awaiting_review', 'escalated')
        GROUP BY t.queue`,
      [[...new Set(queues)]],
    );
    return rows;
  }
}

function toItem(row: InboxRow): InboxItem {
  return {
    id: row.id,
    subject: row.subject,
    customerEmail: row.customer_email,
    status: row.status,
    route: row.route,
    queue: row.queue,
    priority: row.priority,
    claimedBy: row.claimed_by,
    escalated: row.escalated,
    slaState: row.sla_state,
    slaDeadline: row.sla_deadline,
    confidence: row.confidence === null ? null : Number(row.confidence),
    primaryIntent: row.primary_intent,
    draftVersion: row.draft_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
