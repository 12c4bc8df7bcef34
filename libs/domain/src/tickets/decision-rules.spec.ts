import fc from 'fast-check';
import { QUEUES, type Queue, type Route, type RoutingDecision } from '../triage/triage.types';
import {
  AWAITING_AGENT,
  canTransition,
  DECISION_LIMITS,
  FINISHED,
  keepHumanRoute,
  statusAfterRouting,
  TICKET_TRANSITIONS,
  validateApprove,
  validateAwaitCustomer,
  validateCancelAutoSend,
  validateClaim,
  validateEdit,
  validateNote,
  validateReassign,
  validateReject,
  type Actor,
  type DecisionView,
} from './decision-rules';
import { TICKET_STATUSES, type TicketStatus } from './ticket.types';

const alice: Actor = { id: 'alice', role: 'agent' };
const bob: Actor = { id: 'bob', role: 'agent' };
const lead: Actor = { id: 'lead', role: 'supervisor' };

const view = (over: Partial<DecisionView> = {}): DecisionView => ({
  status: 'awaiting_review',
  claimedBy: null,
  queue: 'standard',
  draftVersion: 1,
  pendingMessages: 0,
  decisionPending: false,
  hasDraft: true,
  ...over,
});

const arbActor = fc.record({
  id: fc.constantFrom('alice', 'bob', 'lead'),
  role: fc.constantFrom<Actor['role']>('agent', 'supervisor', 'admin'),
});
const arbView: fc.Arbitrary<DecisionView> = fc.record({
  status: fc.constantFrom(...TICKET_STATUSES),
  claimedBy: fc.option(fc.constantFrom('alice', 'bob', 'lead'), { nil: null }),
  queue: fc.option(fc.constantFrom(...QUEUES), { nil: null }),
  draftVersion: fc.integer({ min: 0, max: 4 }),
  pendingMessages: fc.integer({ min: 0, max: 2 }),
  decisionPending: fc.boolean(),
  hasDraft: fc.boolean(),
});

describe('decision validators', () => {
  it('accept the current draft from the agent holding the ticket', () => {
    expect(validateApprove(view({ claimedBy: 'alice' }), { actor: alice, draftVersion: 1 })).toBeNull();
    expect(validateEdit(view(), { actor: alice, draftVersion: 1, text: ' Here you go. ' })).toBeNull();
    expect(validateReject(view(), { actor: alice, reason: 'spam' })).toBeNull();
    expect(validateAwaitCustomer(view(), { actor: alice, reason: 'photos' })).toBeNull();
    expect(validateReassign(view(), { actor: alice, queue: 'risk' })).toBeNull();
    expect(validateNote(view(), { text: 'checked' })).toBeNull();
    expect(validateCancelAutoSend(view({ status: 'auto_send_pending' }))).toBeNull();
    expect(validateClaim(view(), { actor: alice })).toBeNull();
  });

  it.each([
    ['a stale version', view(), 2, 'STALE_DRAFT_VERSION'],
    ['an unread follow-up', view({ pendingMessages: 1 }), 1, 'STALE_DRAFT_VERSION'],
    ['a ticket another agent holds', view({ claimedBy: 'bob' }), 1, 'TICKET_CLAIMED_BY_OTHER'],
    ['a closed ticket', view({ status: 'closed' }), 1, 'TICKET_CLOSED'],
    ['a ticket still triaging', view({ status: 'triaging', draftVersion: 0 }), 0, 'TICKET_NOT_AWAITING_REVIEW'],
    ['a second decision in flight', view({ decisionPending: true }), 1, 'TICKET_NOT_AWAITING_REVIEW'],
    ['a triage without a draft', view({ hasDraft: false }), 1, 'TICKET_NOT_AWAITING_REVIEW'],
  ] as const)('reject an approval of %s', (_name, t, draftVersion, code) => {
    expect(validateApprove(t, { actor: alice, draftVersion })).toMatchObject({ code });
  });

  it('let a supervisor take over a claimed ticket only when asked to', () => {
    const held = view({ claimedBy: 'alice' });
    expect(validateClaim(held, { actor: bob, takeOver: true })).toMatchObject({ code: 'TICKET_CLAIMED_BY_OTHER' });
    expect(validateClaim(held, { actor: lead })).toMatchObject({ code: 'TICKET_CLAIMED_BY_OTHER' });
    expect(validateClaim(held, { actor: lead, takeOver: true })).toBeNull();
    expect(validateApprove(held, { actor: lead, draftVersion: 1 })).toBeNull();
  });

  it('bound free text', () => {
    const long = 'x'.repeat(DECISION_LIMITS.replyChars + 1);
    expect(validateEdit(view(), { actor: alice, draftVersion: 1, text: '   ' })).toMatchObject({
      code: 'INVALID_DECISION',
    });
    expect(validateEdit(view(), { actor: alice, draftVersion: 1, text: long })).toMatchObject({
      code: 'INVALID_DECISION',
    });
    expect(validateReject(view(), { actor: alice, reason: 'no', reply: long })).toMatchObject({
      code: 'INVALID_DECISION',
    });
    expect(validateReject(view(), { actor: alice, reason: 42 })).toMatchObject({ code: 'INVALID_DECISION' });
    expect(validateNote(view(), { text: 'y'.repeat(DECISION_LIMITS.noteChars + 1) })).toMatchObject({
      code: 'INVALID_DECISION',
    });
    expect(validateReassign(view(), { actor: alice, queue: 'standard' })).toMatchObject({ code: 'INVALID_DECISION' });
  });

  it('never accept a reply decision unless the ticket waits for an agent and the version is current', () => {
    fc.assert(
      fc.property(arbView, arbActor, fc.integer({ min: 0, max: 4 }), (t, actor, draftVersion) => {
        const accepted = validateApprove(t, { actor, draftVersion }) === null;
        const expected =
          AWAITING_AGENT.includes(t.status) &&
          !t.decisionPending &&
          t.pendingMessages === 0 &&
          draftVersion === t.draftVersion &&
          t.hasDraft &&
          (t.claimedBy === null || t.claimedBy === actor.id || actor.role !== 'agent');
        expect(accepted).toBe(expected);
      }),
    );
  });

  it('never accept anything but a note on a finished ticket', () => {
    fc.assert(
      fc.property(arbView, arbActor, fc.constantFrom(...QUEUES), (t, actor, queue) => {
        fc.pre(FINISHED.includes(t.status));
        const rejections = [
          validateClaim(t, { actor, takeOver: true }),
          validateApprove(t, { actor, draftVersion: t.draftVersion }),
          validateEdit(t, { actor, draftVersion: t.draftVersion, text: 'ok' }),
          validateReject(t, { actor, reason: 'r' }),
          validateReassign(t, { actor, queue }),
          validateCancelAutoSend(t),
          validateAwaitCustomer(t, { actor, reason: 'r' }),
        ];
        for (const rejection of rejections) expect(rejection).toMatchObject({ code: 'TICKET_CLOSED' });
      }),
    );
  });
});

describe('keepHumanRoute', () => {
  const decision = (route: Route): RoutingDecision => ({
    route,
    queue: 'standard' as Queue,
    priority: 'normal',
    reasons: [],
    explanation: '',
    policyVersion: 'test',
  });
  const routes = fc.constantFrom<Route>('auto', 'review', 'escalate');
  const severity = { auto: 0, review: 1, escalate: 2 };

  it('never lowers the route of a ticket a human was on, and says why when it keeps it', () => {
    fc.assert(
      fc.property(
        routes,
        fc.option(routes, { nil: null }),
        fc.option(fc.constant('alice'), { nil: null }),
        (next, before, claimedBy) => {
          const kept = keepHumanRoute(decision(next), { route: before, claimedBy });
          const humanOnIt = claimedBy !== null || (before !== null && before !== 'auto');
          if (humanOnIt && before !== null) expect(severity[kept.route]).toBeGreaterThanOrEqual(severity[before]);
          expect(severity[kept.route]).toBeGreaterThanOrEqual(severity[next]);
          const changed = kept.route !== next;
          expect(kept.reasons.some((r) => r.code === 'follow_up_keeps_human')).toBe(changed);
        },
      ),
    );
  });

  it('lets an untouched auto ticket be re-routed freely', () => {
    expect(keepHumanRoute(decision('auto'), { route: 'auto', claimedBy: null }).route).toBe('auto');
    expect(keepHumanRoute(decision('auto'), { route: 'review', claimedBy: null }).route).toBe('review');
  });
});

describe('ticket status transitions', () => {
  it('reach every status from triage, and lead back to triage from every resting status', () => {
    const reachable = new Set<TicketStatus>(['triaging']);
    for (let grew = true; grew;) {
      grew = false;
      for (const from of [...reachable]) {
        for (const to of TICKET_TRANSITIONS[from]) if (!reachable.has(to)) grew = reachable.add(to) !== null;
      }
    }
    expect([...reachable].sort()).toEqual(TICKET_STATUSES.filter((s) => s !== 'received').sort());
    for (const resting of [
      'awaiting_review',
      'escalated',
      'auto_send_pending',
      'waiting_on_customer',
      'resolved',
      'closed',
    ] as const) {
      expect(canTransition(resting, 'triaging')).toBe(true);
    }
  });

  it('send only from a human decision or an auto-send, and finish only through a reply or a decision', () => {
    const into = (to: TicketStatus) => TICKET_STATUSES.filter((from) => from !== to && canTransition(from, to));
    expect(into('sending').sort()).toEqual(['auto_send_pending', 'awaiting_review', 'escalated']);
    expect(into('resolved')).toEqual(['sending']);
    expect(into('closed').sort()).toEqual(['awaiting_review', 'escalated', 'resolved']);
    expect(canTransition('sending', 'triaging')).toBe(false);
  });

  it('route triage outcomes to the status that waits for them', () => {
    expect(statusAfterRouting('auto')).toBe('auto_send_pending');
    expect(statusAfterRouting('review')).toBe('awaiting_review');
    expect(statusAfterRouting('escalate')).toBe('escalated');
    for (const route of ['auto', 'review', 'escalate'] as const)
      expect(canTransition('triaging', statusAfterRouting(route))).toBe(true);
  });
});
