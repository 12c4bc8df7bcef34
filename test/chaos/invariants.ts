/**
 * The invariants, checked after a run against what the clients saw (the run's record), the database, the SMTP
 * sink, the webhook receiver and Temporal. A check returns violations, each with the time until which it may still
 * resolve itself (the system converging after the faults stopped); `until: 0` is a violation that no later moment
 * can repair (a reply to the wrong person, a level that fired early). `settleAndCheck` repeats the checks until
 * nothing is left but violations past their time.
 */
import { ticketWorkflowId } from '../../workflows/ticket/ticket.messages';
import { stateQuery } from '../../workflows/ticket/ticket.messages';
import { TicketSearchAttributes } from '../../workflows/ticket/ticket.search-attributes';
import type { ReceivedMail } from '../../libs/integrations';
import type { ChaosContext } from './commands';
import { CHAOS_SLA_SECONDS, CHAOS_SUPERVISOR_AFTER_SECONDS } from './stack';
import type { InvariantId, RunRecord, SentDecision, Violation } from './record';

/** Seconds after its due time by which an overdue SLA level must have fired once the infrastructure is back. */
export const LATE_LIMIT_MS = 60_000;
/** The read model equals the workflow state this long after the faults stopped. */
export const CONVERGENCE_MS = 30_000;
/** Nothing may still be in flight (sending, triaging, not handed over) this long after the faults stopped. */
export const REST_MS = 120_000;

const LEVEL_OFFSET_MS: Record<string, number> = {
  warn: (CHAOS_SLA_SECONDS / 2) * 1000,
  breach: CHAOS_SLA_SECONDS * 1000,
  breach_plus: (CHAOS_SLA_SECONDS + CHAOS_SUPERVISOR_AFTER_SECONDS) * 1000,
};
const TRANSIENT = new Set(['received', 'triaging', 'sending', 'auto_send_pending']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const OUTBOUND_ID = /^<(reply|ack)-(\d+)\.([0-9a-f-]{36})@/i;

interface Pending extends Violation {
  /** Until then the system may still fix it; 0: permanent. */
  until: number;
}

interface TicketRow {
  id: string;
  status: string;
  customer_email: string;
  route: string | null;
  state_seq: string;
  created_at: Date;
}
interface MessageRow {
  message_id: string;
  ticket_id: string;
  direction: string;
  from_email: string;
  sender_verified: boolean;
  handed_over_at: Date | null;
}
interface OutboxRow {
  ticket_id: string;
  message_id: string;
  sent_by: string;
  sent_at: Date | null;
}
interface AuditRow {
  ticket_id: string;
  key: string;
  actor: string;
  action: string;
  after: Record<string, unknown> | null;
  created_at: Date;
}
interface NotificationRow {
  key: string;
  ticket_id: string;
  status: string;
  created_at: Date;
  last_error: string | null;
}

interface Observed {
  tickets: Map<string, TicketRow>;
  messages: MessageRow[];
  outbox: OutboxRow[];
  audit: AuditRow[];
  notifications: NotificationRow[];
  quarantined: Map<string, string>;
  mails: ReceivedMail[];
}

async function observe(run: RunRecord, ctx: ChaosContext): Promise<Observed> {
  const { db, sink } = ctx.stack;
  const ids = run.ticketIds();
  const addresses = run.addresses();
  const tickets = await db.query<TicketRow>(
    `SELECT id, status, customer_email, route, state_seq, created_at FROM tickets
      WHERE customer_email = ANY($1::text[]) OR id = ANY($2::uuid[])`,
    [addresses, ids],
  );
  const ticketIds = tickets.rows.map((t) => t.id);
  const [messages, outbox, audit, notifications] = await Promise.all([
    db.query<MessageRow>(
      `SELECT message_id, ticket_id, direction, from_email, sender_verified, handed_over_at FROM messages
        WHERE ticket_id = ANY($1::uuid[]) OR message_id = ANY($2::text[])`,
      [ticketIds, run.messages.map((m) => m.messageId)],
    ),
    db.query<OutboxRow>(
      `SELECT ticket_id, message_id, sent_by, sent_at FROM outbox WHERE ticket_id = ANY($1::uuid[])`,
      [ticketIds],
    ),
    db.query<AuditRow>(
      `SELECT ticket_id, key, actor, action, after, created_at FROM ticket_audit WHERE ticket_id = ANY($1::uuid[])`,
      [ticketIds],
    ),
    db.query<NotificationRow>(
      `SELECT key, ticket_id, status, created_at, last_error FROM sla_notifications WHERE ticket_id = ANY($1::uuid[])`,
      [ticketIds],
    ),
  ]);
  const quarantined = new Map<string, string>();
  for (const m of run.messages.filter((x) => x.status === 202)) {
    const found = await db.query<{ status: string }>(
      `SELECT r.status FROM inbound_raw_messages r JOIN inbound_quarantine q ON q.raw_id = r.id
        WHERE position(convert_to($1, 'UTF8') in r.raw) > 0`,
      [m.token],
    );
    if (found.rows[0]) quarantined.set(m.token, found.rows[0].status);
  }
  const mails = sink.received.filter((mail) => {
    const id = OUTBOUND_ID.exec(mail.messageId ?? '');
    return (id && ticketIds.includes(id[3] as string)) || mail.to.some((to) => addresses.includes(to));
  });
  return {
    tickets: new Map(tickets.rows.map((t) => [t.id, t])),
    messages: messages.rows,
    outbox: outbox.rows,
    audit: audit.rows,
    notifications: notifications.rows,
    quarantined,
    mails,
  };
}

/** The accepted and the unanswered decisions of some kind, counted once per Idempotency-Key. */
function count(decisions: SentDecision[]): { accepted: number; unknown: number } {
  const accepted = new Set<string>();
  const unknown = new Set<string>();
  decisions.forEach((d, i) => {
    const group = d.key ? `${d.userId}|${d.action}|${d.key}` : `solo-${i}`;
    if (d.status !== null && d.status >= 200 && d.status < 300) accepted.add(group);
    else if (d.status === null || d.status >= 500) unknown.add(group);
  });
  for (const g of accepted) unknown.delete(g);
  return { accepted: accepted.size, unknown: unknown.size };
}

const isSend = (d: SentDecision): boolean =>
  d.action === 'approve' || d.action === 'edit' || (d.action === 'reject' && d.withReply);

function outboundOf(mail: ReceivedMail): { kind: string; n: number; ticketId: string } | null {
  const m = OUTBOUND_ID.exec(mail.messageId ?? '');
  return m ? { kind: (m[1] as string).toLowerCase(), n: Number(m[2]), ticketId: m[3] as string } : null;
}

/** What the last check saw, for the failure report of a run with violations. */
export interface Evidence {
  observed: Omit<Observed, 'tickets' | 'quarantined' | 'mails'> & {
    tickets: TicketRow[];
    mails: { messageId: string | null; to: string[]; receivedAt: Date }[];
  };
  firstRunStart: Record<string, string>;
}

/** Every check once, on one observation. */
async function check(
  run: RunRecord,
  ctx: ChaosContext,
  firstRunStart: Map<string, number>,
  evidence: { last?: Evidence },
): Promise<Pending[]> {
  const now = Date.now();
  const o = await observe(run, ctx);
  evidence.last = {
    observed: {
      ...o,
      tickets: [...o.tickets.values()],
      mails: o.mails.map((m) => ({ messageId: m.messageId, to: m.to, receivedAt: m.receivedAt })),
    },
    firstRunStart: Object.fromEntries([...firstRunStart].map(([t, at]) => [t, new Date(at).toISOString()])),
  };
  const out: Pending[] = [];
  const add = (invariant: InvariantId, detail: string, until = 0): void => void out.push({ invariant, detail, until });
  const rest = run.recoveredAt + REST_MS;
  const converged = run.recoveredAt + CONVERGENCE_MS;
  const ticketIds = [...o.tickets.keys()];

  // I1: acknowledged messages are stored, once, in their sender's ticket, and handed to its workflow.
  const answers = new Map<string, string>();
  for (const m of run.acknowledged()) {
    const rows = o.messages.filter((r) => r.message_id === m.messageId && r.direction === 'inbound');
    if (m.kind === 'conflict') {
      add('I7', `a reused message id from another sender was accepted (${m.status}) for ${m.messageId}`);
      continue;
    }
    if (rows.length !== 1) {
      add('I1', `${m.kind} ${m.messageId} answered ${m.status} but is stored ${rows.length} times`, rest);
      continue;
    }
    const row = rows[0] as MessageRow;
    if (m.ticketId !== row.ticket_id)
      add('I1', `${m.messageId}: answer named ${m.ticketId}, stored in ${row.ticket_id}`);
    const ticket = o.tickets.get(row.ticket_id);
    if (!ticket) add('I1', `${m.messageId}: stored in ${row.ticket_id}, which is not a ticket of its sender`);
    else if (ticket.customer_email.toLowerCase() !== m.from.toLowerCase())
      add('I1', `${m.kind} from ${m.from} joined ${ticket.id} of ${ticket.customer_email}`);
    if (!row.handed_over_at) add('I1', `${m.messageId} stored but not handed to its workflow`, rest);
    const earlier = answers.get(m.messageId);
    if (earlier && earlier !== m.ticketId)
      add('I1', `${m.messageId} answered with two tickets: ${earlier}, ${m.ticketId}`);
    answers.set(m.messageId, m.ticketId ?? '');
  }
  for (const m of run.messages.filter((x) => x.status === 202)) {
    if (!o.quarantined.has(m.token)) add('I1', `${m.kind} ${m.messageId} answered 202 but no quarantined raw mail`);
  }
  for (const m of run.messages.filter((x) => x.kind === 'oversized' && x.status === 413)) {
    add('I1', `an oversized mail was refused unseen (413): ${m.messageId}`);
  }

  // I2: one outbound message per approval; every approval delivered or handed back.
  const sinkIds = new Map<string, number>();
  for (const mail of o.mails) if (mail.messageId) sinkIds.set(mail.messageId, (sinkIds.get(mail.messageId) ?? 0) + 1);
  for (const t of ticketIds) {
    const outbox = o.outbox.filter((r) => r.ticket_id === t);
    const mails = o.mails.filter((mail) => outboundOf(mail)?.ticketId === t);
    for (const mail of mails) {
      if (!outbox.some((r) => r.message_id === mail.messageId))
        add('I2', `${mail.messageId} reached the SMTP server without an outbox row (ticket ${t})`);
    }
    const agentRows = outbox.filter((r) => r.sent_by === 'agent');
    for (const row of outbox.filter((r) => r.sent_by !== 'acknowledgement')) {
      if (row.sent_at && !sinkIds.has(row.message_id))
        add('I2', `${row.message_id} is marked sent but never reached the SMTP server`);
    }
    const failed = o.audit.filter((a) => a.ticket_id === t && a.action === 'delivery_failed').length;
    const unsent = outbox.filter((r) => r.sent_by !== 'acknowledgement' && !r.sent_at).length;
    if (unsent > failed)
      add('I2', `ticket ${t}: ${unsent} replies neither delivered nor handed back (${failed} delivery_failed)`, rest);
    const sends = count(run.decisions.filter((d) => d.ticketId === t && isSend(d)));
    if (agentRows.length > sends.accepted + sends.unknown)
      add('I2', `ticket ${t}: ${agentRows.length} agent replies for ${sends.accepted} accepted approvals`);
    if (agentRows.length < sends.accepted)
      add(
        'I2',
        `ticket ${t}: ${sends.accepted} accepted approvals but only ${agentRows.length} replies attempted`,
        rest,
      );
    const status = o.tickets.get(t)?.status ?? '';
    if (TRANSIENT.has(status)) add(status === 'sending' ? 'I2' : 'I5', `ticket ${t} still ${status}`, rest);
  }

  // I3: every state change has an audit row.
  const families: Record<string, string[]> = {
    claim: ['claim', 'take_over'],
    approve: ['approve'],
    edit: ['edit'],
    reject: ['reject'],
    reassign: ['reassign'],
  };
  for (const t of ticketIds) {
    const audit = o.audit.filter((a) => a.ticket_id === t);
    for (const user of new Set(run.decisions.filter((d) => d.ticketId === t).map((d) => d.userId))) {
      for (const [action, names] of Object.entries(families)) {
        const sent = run.decisions.filter((d) => d.ticketId === t && d.userId === user && d.action === action);
        if (!sent.length) continue;
        const { accepted, unknown } = count(sent);
        const rows = audit.filter((a) => a.actor === user && names.includes(a.action)).length;
        if (rows < accepted)
          add('I3', `ticket ${t}: ${accepted} accepted ${action} by ${user}, ${rows} audit rows`, rest);
        if (rows > accepted + unknown)
          add('I3', `ticket ${t}: ${rows} ${action} audit rows by ${user} for ${accepted} accepted decisions`);
      }
    }
    for (const mail of o.mails.filter((m) => outboundOf(m)?.ticketId === t && outboundOf(m)?.kind === 'ack')) {
      if (!audit.some((a) => a.action === 'acknowledgement_sent' && a.after?.messageId === mail.messageId))
        add('I3', `acknowledgement ${mail.messageId} went out without an audit row`, converged);
    }
    const ticket = o.tickets.get(t);
    if (ticket?.status === 'escalated' && ticket.route !== 'escalate') {
      const why = ['sla_escalation', 'sla_breach', 'delivery_failed', 'delivery_bounced', 'reassign'];
      if (!audit.some((a) => why.includes(a.action)))
        add('I3', `ticket ${t} is escalated (route ${ticket.route}) with no audit row saying why`, converged);
    }
    if (ticket?.status === 'closed') {
      const replied = o.mails.some((m) => outboundOf(m)?.ticketId === t && outboundOf(m)?.kind === 'reply');
      if (!replied && !audit.some((a) => a.action === 'reject'))
        add('I3', `ticket ${t} closed without a reply and without an audit row`, converged);
    }
  }
  for (const d of ctx.stack.webhook.accepted()) {
    const t = d.event.ticketId ?? '';
    if (!o.tickets.has(t)) continue;
    if (!o.audit.some((a) => a.ticket_id === t && a.action === 'sla_escalation' && a.after?.level === d.event.level))
      add('I3', `SLA notice ${d.key} without an sla_escalation audit row`, converged);
  }

  // I4: no SLA level early; none later than 60 s after the infrastructure is back; no notification lost.
  for (const a of o.audit) {
    if (a.action === 'sla_escalation') {
      const m = /^ticket:[^:]+:sla:[^:]+:(.+):([^:]+)$/.exec(a.key);
      const level = String(a.after?.level ?? '');
      const due = m ? Date.parse(m[1] as string) + (LEVEL_OFFSET_MS[level] ?? NaN) : NaN;
      const firedAt = Date.parse(String(a.after?.firedAt));
      if (!(firedAt >= due && a.created_at.getTime() >= due))
        add('I4', `level ${level} of ${a.ticket_id} fired at ${a.after?.firedAt}, due ${new Date(due).toISOString()}`);
    }
    if (a.action === 'sla_breach') {
      const deadline = Date.parse(String(a.after?.deadline));
      if (!(Date.parse(String(a.after?.breachedAt)) >= deadline))
        add('I4', `breach of ${a.ticket_id} recorded at ${a.after?.breachedAt}, deadline ${a.after?.deadline}`);
    }
  }
  for (const d of ctx.stack.webhook.deliveries) {
    const m = /^ticket:([^:]+):sla:[^:]+:(.+):([^:]+):\d+$/.exec(d.key);
    if (!m || !o.tickets.has(m[1] as string)) continue;
    const due = Date.parse(m[2] as string) + (LEVEL_OFFSET_MS[m[3] as string] ?? NaN);
    if (!(d.receivedAt >= due))
      add(
        'I4',
        `SLA notice ${d.key} reached the webhook at ${new Date(d.receivedAt).toISOString()}, before it was due`,
      );
  }
  const anyFaultEnd = run.lastFaultEnd();
  for (const n of o.notifications) {
    const until = Math.max(n.created_at.getTime(), anyFaultEnd) + LATE_LIMIT_MS;
    if (n.status === 'failed') add('I4', `SLA notice ${n.key} given up: ${n.last_error}`);
    else if (n.status !== 'sent' || !ctx.stack.webhook.accepted().some((d) => d.key === n.key))
      add('I4', `SLA notice ${n.key} not delivered (${n.status})`, until);
  }
  const terminated = new Set(run.terminated.map((x) => x.ticketId));
  for (const t of ticketIds) {
    if (terminated.has(t)) continue; // a new run's clock starts when reconciliation starts it
    const start = firstRunStart.get(t);
    if (start === undefined) continue;
    const firstReply = Math.min(
      ...o.mails
        .filter((m) => outboundOf(m)?.ticketId === t && outboundOf(m)?.kind === 'reply')
        .map((m) => +m.receivedAt),
    );
    const closed = Math.min(
      ...o.audit.filter((a) => a.ticket_id === t && a.action === 'reject').map((a) => a.created_at.getTime()),
    );
    const lateLimit = (due: number): number => Math.max(due, anyFaultEnd) + LATE_LIMIT_MS;
    for (const level of ['warn', 'breach']) {
      const due = start + (LEVEL_OFFSET_MS[level] as number);
      // Closed (rejected) before the level was due, or within the grace a late level has after recovery: nothing
      // left to escalate by the time the ladder looked.
      if (now < due + 2_000 || closed <= lateLimit(due)) continue;
      // A reply within the grace after recovery may have met the clock before the ladder looked: no level needed.
      if (firstReply <= lateLimit(due)) continue;
      const fired = o.audit.some(
        (a) =>
          a.ticket_id === t &&
          a.action === 'sla_escalation' &&
          a.after?.level === level &&
          a.key.includes(':sla:first_reply:'),
      );
      if (!fired) {
        const ticket = o.tickets.get(t);
        const trail = o.audit
          .filter((a) => a.ticket_id === t)
          .map((a) => `${a.action}${a.action === 'sla_escalation' ? `:${String(a.after?.level)}` : ''}`);
        add(
          'I4',
          `first_reply ${level} of ${t} (due ${new Date(due).toISOString()}) has not fired and no reply went out ` +
            `(status ${ticket?.status}, route ${ticket?.route}, audit ${trail.join(',') || 'none'})`,
          lateLimit(due),
        );
      }
    }
  }

  // I5: the read model equals the workflow (search attributes by describe, status and seq by query).
  const client = await ctx.stack.temporal();
  await Promise.all(
    ticketIds.map(async (t) => {
      const row = o.tickets.get(t) as TicketRow;
      try {
        const handle = client.workflow.getHandle(ticketWorkflowId(t));
        const described = await withTimeout(handle.describe(), 10_000);
        const attribute = described.typedSearchAttributes.get(TicketSearchAttributes.status);
        if (attribute !== row.status) add('I5', `${t}: read model ${row.status}, workflow ${attribute}`, converged);
        const state = await withTimeout(handle.query(stateQuery), 10_000);
        if (state.status !== row.status || state.seq !== Number(row.state_seq))
          add(
            'I5',
            `${t}: read model ${row.status}#${row.state_seq}, workflow ${state.status}#${state.seq}`,
            converged,
          );
      } catch (error) {
        add('I5', `${t}: workflow not readable (${(error as Error).message.split('\n')[0]})`, converged);
      }
    }),
  );

  // I6: outbound mail goes only to its ticket's customer (SLA notices only to staff).
  const staff = ctx.stack.users.map((u) => u.email);
  for (const mail of o.mails) {
    const id = outboundOf(mail);
    if (!id) {
      if (!(mail.messageId ?? '').startsWith('<sla-') || mail.to.some((to) => !staff.includes(to)))
        add('I6', `unexpected mail ${mail.messageId} to ${mail.to.join(', ')}`);
      continue;
    }
    const ticket = o.tickets.get(id.ticketId);
    const owner = ticket?.customer_email.toLowerCase();
    if (!owner || mail.to.length !== 1 || mail.to[0]?.toLowerCase() !== owner)
      add('I6', `${mail.messageId} went to ${mail.to.join(', ')}; the ticket's customer is ${owner}`);
  }

  // I7: no answer or mail carries another customer's ticket id or data.
  const ownerOf = (uuid: string): string | undefined => o.tickets.get(uuid.toLowerCase())?.customer_email.toLowerCase();
  const foreignData = (text: string, self: string): string[] =>
    run.customers
      .filter((c) => c.email !== self)
      .flatMap((c) => [c.email, c.orderNumber])
      .concat(self === run.stranger ? [] : [run.stranger])
      .filter((needle) => text.includes(needle));
  for (const m of run.messages) {
    for (const uuid of m.body.match(UUID) ?? []) {
      const owner = ownerOf(uuid);
      if (m.kind === 'conflict' && owner) add('I7', `the answer to a reused message id names ticket ${uuid}`);
      else if (owner && owner !== m.from.toLowerCase())
        add('I7', `the answer to ${m.from}'s ${m.kind} names ticket ${uuid} of ${owner}`);
    }
    for (const leak of foreignData(m.body, m.from)) add('I7', `the answer to ${m.from}'s ${m.kind} contains ${leak}`);
  }
  for (const d of run.decisions.filter((x) => x.status !== null && x.status >= 400)) {
    const owner = o.tickets.get(d.ticketId)?.customer_email;
    if (owner && d.body.includes(owner)) add('I7', `a refused ${d.action} (${d.status}) shows the customer's address`);
  }
  for (const mail of o.mails) {
    const id = outboundOf(mail);
    const owner = id ? o.tickets.get(id.ticketId)?.customer_email.toLowerCase() : undefined;
    if (!id || !owner) continue;
    for (const uuid of mail.raw.match(UUID) ?? []) {
      const other = ownerOf(uuid);
      if (other && other !== owner) add('I7', `${mail.messageId} to ${owner} names ticket ${uuid} of ${other}`);
    }
    for (const leak of foreignData(mail.raw, owner)) add('I7', `${mail.messageId} to ${owner} contains ${leak}`);
  }
  for (const t of ticketIds) {
    const inbound = o.messages.filter((r) => r.ticket_id === t && r.direction === 'inbound');
    const unverified = inbound.length > 0 && inbound.every((r) => !r.sender_verified);
    if (unverified && o.outbox.some((r) => r.ticket_id === t && r.sent_by === 'auto'))
      add('I7', `ticket ${t} of an unverified sender got an automatic reply`);
  }

  return out;
}

/** The first run's start of each ticket's workflow: when its first-reply clock started. */
async function firstRunStarts(ctx: ChaosContext, ticketIds: string[], known: Map<string, number>): Promise<void> {
  const client = await ctx.stack.temporal();
  for (const t of ticketIds.filter((id) => !known.has(id))) {
    let first = Infinity;
    try {
      for await (const wf of client.workflow.list({ query: `WorkflowId = '${ticketWorkflowId(t)}'` })) {
        first = Math.min(first, wf.startTime.getTime());
      }
    } catch {
      continue; // Temporal not reachable yet: next time
    }
    if (first !== Infinity) known.set(t, first);
  }
}

/**
 * Ends every fault, waits for the outages to be over, then checks until the system is at rest and every
 * invariant holds, or until what is left are violations past their time: those are the run's violations.
 */
export async function settleAndCheck(
  run: RunRecord,
  ctx: ChaosContext,
  evidence: { last?: Evidence } = {},
): Promise<Violation[]> {
  for (const timer of run.timers) clearTimeout(timer);
  run.timers.clear();
  ctx.stack.sink.fault = null;
  ctx.stack.webhook.heal();
  const outages = await Promise.allSettled([...run.outages.values()]);
  for (const f of run.faults) if (f.endedAt === null) f.endedAt = Date.now();
  const broken = outages.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (broken) throw new Error(`the stack did not come back from a fault: ${String(broken.reason)}`);
  run.recoveredAt = Date.now();

  const starts = new Map<string, number>();
  let pending: Pending[] = [];
  let slowest: string[] = [];
  for (;;) {
    const now = Date.now();
    try {
      const ids = (
        await ctx.stack.db.query<{ id: string }>(`SELECT id FROM tickets WHERE customer_email = ANY($1::text[])`, [
          run.addresses(),
        ])
      ).rows.map((r) => r.id);
      await firstRunStarts(ctx, ids, starts);
      pending = await check(run, ctx, starts, evidence);
    } catch (error) {
      // The database or Temporal still coming back: it counts against the time to rest.
      pending = [
        {
          invariant: 'I5',
          detail: `checks could not read the state: ${(error as Error).message}`,
          until: run.recoveredAt + REST_MS,
        },
      ];
    }
    // Wait until every ticket's first levels are due, so the late check covers them.
    const lastMessage = Math.max(run.startedAt, ...run.messages.map((m) => m.at));
    const waitForLevels = now < lastMessage + CHAOS_SLA_SECONDS * 1000 + 3_000;
    const open = pending.filter((p) => p.until > now);
    if (!waitForLevels && open.length === 0) break;
    if (open.length) slowest = open.map((p) => `${p.invariant}: ${p.detail}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const waited = Date.now() - run.recoveredAt;
  if (waited > 25_000 && slowest.length)
    ctx.log(
      `run ${run.index} took ${Math.round(waited / 1000)} s to settle; last waiting for: ${slowest.slice(0, 3).join(' | ')}`,
    );
  return dedupe(pending.map(({ invariant, detail }) => ({ invariant, detail })));
}

function dedupe(violations: Violation[]): Violation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.invariant}|${v.detail}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    }),
  ]);
}
