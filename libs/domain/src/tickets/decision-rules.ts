/**
 * The rules an agent's decision must pass before the ticket workflow accepts it, and the rules of how a ticket
 * moves between statuses. Pure: the workflow passes its state in and turns a rejection into a failed Update.
 */
import type { Queue, Route, RoutingDecision } from '../triage/triage.types';
import type { TicketStatus } from './ticket.types';

/** Who acts. Roles come from the authenticated caller, never from the request body. */
export interface Actor {
  id: string;
  role: 'agent' | 'supervisor' | 'admin' | 'system';
}

/** The actor of everything the workflow does on its own (auto-sends, SLA levels, delivery failures). */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'system' };

/** Rejection codes a validator can answer with; each is a stable API error code. */
export const DECISION_REJECTIONS = [
  'TICKET_NOT_AWAITING_REVIEW',
  'STALE_DRAFT_VERSION',
  'TICKET_CLOSED',
  'TICKET_CLAIMED_BY_OTHER',
  'NO_AUTO_SEND_PENDING',
  'INVALID_DECISION',
] as const;
export type DecisionRejection = (typeof DECISION_REJECTIONS)[number];

export interface Rejection {
  code: DecisionRejection;
  message: string;
}

/** Limits shared by the API's DTOs and the workflow's validators. */
export const DECISION_LIMITS = { replyChars: 20_000, noteChars: 5_000, reasonChars: 1_000 } as const;

/** What the validators need to know of a ticket. */
export interface DecisionView {
  status: TicketStatus;
  claimedBy: string | null;
  queue: Queue | null;
  draftVersion: number;
  /** Customer messages received and not yet triaged. */
  pendingMessages: number;
  /** An accepted decision is waiting to be carried out. */
  decisionPending: boolean;
  /** The current triage produced a draft an agent could approve. */
  hasDraft: boolean;
}

export const AWAITING_AGENT: readonly TicketStatus[] = ['awaiting_review', 'escalated'];
export const FINISHED: readonly TicketStatus[] = ['resolved', 'closed'];

export function isSupervisor(actor: Actor): boolean {
  return actor.role === 'supervisor' || actor.role === 'admin';
}

type Check = Rejection | null;
const reject = (code: DecisionRejection, message: string): Rejection => ({ code, message });

/** The first rejection among the checks, or null when every check passes. */
function first(...checks: (() => Check)[]): Check {
  for (const check of checks) {
    const rejection = check();
    if (rejection) return rejection;
  }
  return null;
}

const open = (t: DecisionView) => () =>
  FINISHED.includes(t.status) ? reject('TICKET_CLOSED', `the ticket is ${t.status}`) : null;

const notHeldByOther = (t: DecisionView, actor: Actor) => () =>
  t.claimedBy && t.claimedBy !== actor.id && !isSupervisor(actor)
    ? reject('TICKET_CLAIMED_BY_OTHER', 'another agent holds this ticket')
    : null;

/** The ticket waits for an agent, no decision is in flight, and nobody else holds it. */
const agentTurn = (t: DecisionView, actor: Actor) => () =>
  first(
    open(t),
    () =>
      t.decisionPending || !AWAITING_AGENT.includes(t.status)
        ? reject('TICKET_NOT_AWAITING_REVIEW', `the ticket is ${t.status}, not waiting for an agent`)
        : null,
    notHeldByOther(t, actor),
  );

/** The agent answers the newest state of the thread: no unread follow-up, the version they saw is current. */
const currentVersion = (t: DecisionView, actor: Actor, draftVersion: number) => () =>
  first(
    agentTurn(t, actor),
    () =>
      t.pendingMessages > 0
        ? reject('STALE_DRAFT_VERSION', 'a newer customer message arrived; a new draft is being prepared')
        : null,
    () =>
      draftVersion !== t.draftVersion
        ? reject('STALE_DRAFT_VERSION', `draft version ${draftVersion} is not the current version ${t.draftVersion}`)
        : null,
  );

const text = (value: unknown, max: number, what: string) => () => {
  const ok = typeof value === 'string' && value.trim().length > 0 && value.length <= max;
  return ok ? null : reject('INVALID_DECISION', `${what} of 1 to ${max} characters is required`);
};

export function validateClaim(t: DecisionView, input: { actor: Actor; takeOver?: boolean }): Check {
  return first(
    open(t),
    () =>
      AWAITING_AGENT.includes(t.status)
        ? null
        : reject('TICKET_NOT_AWAITING_REVIEW', `the ticket is ${t.status}; there is nothing to claim`),
    () =>
      t.claimedBy && t.claimedBy !== input.actor.id && !(input.takeOver && isSupervisor(input.actor))
        ? reject('TICKET_CLAIMED_BY_OTHER', 'another agent holds this ticket; a supervisor may take it over')
        : null,
  );
}

export function validateApprove(t: DecisionView, input: { actor: Actor; draftVersion: number }): Check {
  return first(currentVersion(t, input.actor, input.draftVersion), () =>
    t.hasDraft
      ? null
      : reject('TICKET_NOT_AWAITING_REVIEW', 'there is no draft to approve; edit or reject with a reply'),
  );
}

export function validateEdit(t: DecisionView, input: { actor: Actor; draftVersion: number; text: unknown }): Check {
  return first(currentVersion(t, input.actor, input.draftVersion), () => {
    const trimmed = typeof input.text === 'string' ? input.text.trim() : '';
    return trimmed && trimmed.length <= DECISION_LIMITS.replyChars
      ? null
      : reject('INVALID_DECISION', `the reply must be 1 to ${DECISION_LIMITS.replyChars} characters`);
  });
}

export function validateReject(t: DecisionView, input: { actor: Actor; reason: unknown; reply?: unknown }): Check {
  return first(agentTurn(t, input.actor), text(input.reason, DECISION_LIMITS.reasonChars, 'a reason'), () =>
    input.reply !== undefined && (typeof input.reply !== 'string' || input.reply.length > DECISION_LIMITS.replyChars)
      ? reject('INVALID_DECISION', `the reply may have at most ${DECISION_LIMITS.replyChars} characters`)
      : null,
  );
}

export function validateReassign(t: DecisionView, input: { actor: Actor; queue: Queue }): Check {
  return first(open(t), notHeldByOther(t, input.actor), () =>
    input.queue === t.queue ? reject('INVALID_DECISION', `the ticket is already in queue ${input.queue}`) : null,
  );
}

export function validateNote(_t: DecisionView, input: { text: unknown }): Check {
  return text(input.text, DECISION_LIMITS.noteChars, 'a note')();
}

export function validateCancelAutoSend(t: DecisionView): Check {
  return first(open(t), () =>
    t.status === 'auto_send_pending'
      ? null
      : reject('NO_AUTO_SEND_PENDING', `the ticket is ${t.status}; no auto-send is waiting`),
  );
}

export function validateAwaitCustomer(t: DecisionView, input: { actor: Actor; reason: unknown }): Check {
  return first(agentTurn(t, input.actor), text(input.reason, DECISION_LIMITS.reasonChars, 'a reason'));
}

const ROUTE_SEVERITY: Record<Route, number> = { auto: 0, review: 1, escalate: 2 };

/**
 * A follow-up never takes a ticket away from the humans already on it: when a person claimed the ticket or it was
 * routed to people before, a re-triage that comes out less severe keeps the earlier route, and says why.
 */
export function keepHumanRoute(
  routed: RoutingDecision,
  before: { route: Route | null; claimedBy: string | null },
): RoutingDecision {
  const humanOnIt = before.claimedBy !== null || (before.route !== null && before.route !== 'auto');
  if (!humanOnIt || before.route === null || ROUTE_SEVERITY[routed.route] >= ROUTE_SEVERITY[before.route])
    return routed;
  return {
    ...routed,
    route: before.route,
    reasons: [
      ...routed.reasons,
      {
        code: 'follow_up_keeps_human',
        detail: `a human was already handling this ticket (${before.route})`,
        evidence: [],
      },
    ],
  };
}

/**
 * Where a ticket may go from each status. `triaging` is where every run and every customer message starts;
 * `closed` is final for agents, but a customer message (or a reopen) starts triage again.
 */
export const TICKET_TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  received: ['triaging'],
  triaging: ['auto_send_pending', 'awaiting_review', 'escalated'],
  auto_send_pending: ['sending', 'awaiting_review', 'triaging'],
  awaiting_review: ['escalated', 'sending', 'closed', 'waiting_on_customer', 'triaging'],
  escalated: ['sending', 'closed', 'waiting_on_customer', 'triaging'],
  waiting_on_customer: ['triaging'],
  sending: ['resolved', 'escalated'],
  resolved: ['closed', 'triaging', 'escalated'],
  closed: ['triaging'],
};

/** Whether `from → to` is a move the ticket may make (staying where it is always may). */
export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || TICKET_TRANSITIONS[from].includes(to);
}

/** The status triage leaves a ticket in, by route. */
export function statusAfterRouting(route: Route): TicketStatus {
  return route === 'auto' ? 'auto_send_pending' : route === 'review' ? 'awaiting_review' : 'escalated';
}
