import { DEFAULT_ESCALATION_LADDER } from './default-config';
import {
  applyEscalationAction,
  defineEscalationAction,
  ESCALATION_ACTION_TYPES,
  ESCALATION_ACTIONS,
  escalationActionKey,
  escalationActionRunsActivity,
  nextPriorityUp,
  validateEscalationAction,
  type EscalatedTicket,
  type EscalationAction,
} from './escalation-actions';

const ticket: EscalatedTicket = { queue: 'standard', priority: 'normal', claimedBy: 'agent-7', escalated: false };

describe('the escalation action registry', () => {
  it('registers the four built-in types', () => {
    expect(ESCALATION_ACTION_TYPES).toEqual(['notify', 'raise_priority', 'move_to_queue', 'reassign_to_supervisor']);
  });

  it('says which actions need the runEscalationAction activity', () => {
    const needs = (action: EscalationAction) => escalationActionRunsActivity(action);
    expect(needs({ type: 'notify', channel: 'webhook', target: 'sla-alerts' })).toBe(true);
    expect(needs({ type: 'reassign_to_supervisor' })).toBe(true);
    expect(needs({ type: 'raise_priority' })).toBe(false);
    expect(needs({ type: 'move_to_queue', queue: 'escalations' })).toBe(false);
  });

  it('validates every action of the default ladder', () => {
    const errors = DEFAULT_ESCALATION_LADDER.flatMap((level, i) =>
      level.actions.flatMap((action, j) => validateEscalationAction(action, `levels[${i}].actions[${j}]`)),
    );
    expect(errors).toEqual([]);
  });

  it('rejects what is not an action', () => {
    expect(validateEscalationAction('notify', 'a')).toEqual(['a: expected an object like { "type": "notify", ... }']);
    expect(validateEscalationAction({}, 'a')).toEqual([
      expect.stringMatching(/^a\.type: unknown escalation action type undefined; known types: notify,/),
    ]);
    expect(validateEscalationAction({ type: 'toString' }, 'a')).toEqual([
      expect.stringMatching(/^a\.type: unknown escalation action type "toString"/),
    ]);
    expect(validateEscalationAction({ type: 'notify', channel: 'sms', target: 'x' }, 'a')).toEqual([
      'a.channel: expected one of webhook, email, got "sms"',
    ]);
  });
});

describe('applyEscalationAction (the in-workflow effect)', () => {
  it('raise_priority goes one step up and stops at urgent', () => {
    expect(applyEscalationAction(ticket, { type: 'raise_priority' }).priority).toBe('high');
    expect(applyEscalationAction({ ...ticket, priority: 'urgent' }, { type: 'raise_priority' }).priority).toBe(
      'urgent',
    );
    expect(nextPriorityUp(null)).toBe('high'); // no priority counts as normal
    expect(nextPriorityUp('low')).toBe('normal');
  });

  it('move_to_queue moves the ticket, keeps the claim and marks it escalated', () => {
    expect(applyEscalationAction(ticket, { type: 'move_to_queue', queue: 'escalations' })).toEqual({
      ...ticket,
      queue: 'escalations',
      escalated: true,
    });
  });

  it('reassign_to_supervisor releases the claim', () => {
    expect(applyEscalationAction(ticket, { type: 'reassign_to_supervisor' })).toEqual({
      ...ticket,
      claimedBy: null,
      escalated: true,
    });
  });

  it('notify changes nothing in the ticket (it is all activity)', () => {
    expect(applyEscalationAction(ticket, { type: 'notify', channel: 'email', target: 'leads@shop.example' })).toBe(
      ticket,
    );
  });

  it('keeps the other fields of a bigger workflow state', () => {
    const state = { ...ticket, seq: 4, status: 'awaiting_review' as const };
    expect(applyEscalationAction(state, { type: 'raise_priority' })).toEqual({ ...state, priority: 'high' });
  });

  it('the default breach level raises the priority and moves the ticket to escalations', () => {
    const breach = DEFAULT_ESCALATION_LADDER.find((l) => l.id === 'breach')!;
    const after = breach.actions.reduce(applyEscalationAction, ticket);
    expect(after).toEqual({ queue: 'escalations', priority: 'high', claimedBy: 'agent-7', escalated: true });
  });
});

describe('escalationActionKey', () => {
  const base = {
    ticketId: 't-1',
    metric: 'first_reply' as const,
    clockStartedAt: new Date('2026-05-04T10:00:00Z'),
    levelId: 'breach',
    actionIndex: 2,
  };

  it('is the same for the same action of the same clock (retries and replays are idempotent)', () => {
    expect(escalationActionKey(base)).toBe('ticket:t-1:sla:first_reply:2026-05-04T10:00:00.000Z:breach:2');
    expect(escalationActionKey({ ...base })).toBe(escalationActionKey(base));
  });

  it('differs for a new clock of the same metric and for another action of the level', () => {
    expect(escalationActionKey({ ...base, clockStartedAt: new Date('2026-05-05T10:00:00Z') })).not.toBe(
      escalationActionKey(base),
    );
    expect(escalationActionKey({ ...base, actionIndex: 1 })).not.toBe(escalationActionKey(base));
  });
});

/**
 * The worked example of docs/sla.md, "Add an escalation action": a `page_on_call` action. It is not registered in
 * the product; this test checks the recipe with a registry extended the same way the doc extends ESCALATION_ACTIONS.
 */
describe('worked example: a new action type (docs/sla.md)', () => {
  const pageOnCall = defineEscalationAction<{ service: string; urgency: 'low' | 'high' }>({
    summary: 'Page the on-call engineer of a service',
    fields: ['service', 'urgency'],
    validate: (action, path) => [
      ...(typeof action.service === 'string' && /^[a-z0-9-]{1,64}$/.test(action.service)
        ? []
        : [`${path}.service: expected a service slug such as "checkout"`]),
      ...(action.urgency === 'low' || action.urgency === 'high' ? [] : [`${path}.urgency: expected "low" or "high"`]),
    ],
    runsActivity: true,
  });
  const registry = { ...ESCALATION_ACTIONS, page_on_call: pageOnCall };

  it('accepts a well-formed action', () => {
    expect(
      validateEscalationAction({ type: 'page_on_call', service: 'checkout', urgency: 'high' }, 'a', registry),
    ).toEqual([]);
  });

  it('rejects bad fields with their paths', () => {
    expect(
      validateEscalationAction(
        { type: 'page_on_call', service: 'Check Out', urgency: 'now' },
        'levels[1].actions[0]',
        registry,
      ),
    ).toEqual([
      'levels[1].actions[0].service: expected a service slug such as "checkout"',
      'levels[1].actions[0].urgency: expected "low" or "high"',
    ]);
  });

  it('is unknown until it is registered', () => {
    expect(validateEscalationAction({ type: 'page_on_call', service: 'checkout', urgency: 'high' }, 'a')).toEqual([
      expect.stringContaining('unknown escalation action type "page_on_call"'),
    ]);
  });
});
