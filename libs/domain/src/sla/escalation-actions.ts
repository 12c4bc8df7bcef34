import type { Priority, Queue } from '../triage/triage.types';
import { QUEUES } from '../triage/triage.types';
import type { SlaMetric } from './sla.types';

/**
 * The registry of escalation action types. A ladder level's actions are data (`{ type: 'notify', ... }`); this
 * registry says which types exist, which fields each one takes, how to validate them, and what each one does:
 *
 * - `applyToTicket` (optional): the change to the ticket's own state, pure and deterministic — the workflow
 *   applies it to its state directly (raise the priority, move the queue, release the claim);
 * - `runsActivity`: whether the workflow must also call the `runEscalationAction(action, ticket)` activity for
 *   effects outside the workflow (send a webhook or an e-mail, page the supervisor). That activity is idempotent
 *   by `escalationActionKey(...)`.
 *
 * Adding a type is one entry in `ESCALATION_ACTIONS` (its fields type comes from `defineEscalationAction<...>`)
 * plus, when `runsActivity`, one handler in the activity. An unknown type fails config validation with the list
 * of known types. See docs/sla.md.
 */

/** The ticket fields an escalation action may change inside the workflow. */
export interface EscalatedTicket {
  queue: Queue | null;
  priority: Priority | null;
  claimedBy: string | null;
  escalated: boolean;
}

export interface EscalationActionSpec<Fields extends object> {
  /** One line for docs, audit and Temporal UI. */
  summary: string;
  /** Every field the action may carry besides `type`; anything else is a validation error (typos included). */
  fields: readonly (keyof Fields & string)[];
  /** Errors in the action's own fields, each prefixed with `path` (e.g. `policies[0].ladders.first_reply[1].actions[0].target`). */
  validate(action: Readonly<Record<string, unknown>>, path: string): string[];
  /** The change to the ticket's workflow state, if any. Pure: the same input gives the same output, on replay too. */
  applyToTicket?(ticket: Readonly<EscalatedTicket>, action: Fields): Partial<EscalatedTicket>;
  /** True when the workflow must run the `runEscalationAction` activity for this action. */
  runsActivity: boolean;
}

/** Declares an action type with its fields; the registry's keys and these field types make `EscalationAction`. */
export function defineEscalationAction<Fields extends object = Record<never, never>>(
  spec: EscalationActionSpec<Fields>,
): EscalationActionSpec<Fields> {
  return spec;
}

const NOTIFY_CHANNELS = ['webhook', 'email'] as const;
const PRIORITY_ORDER: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];
const MAX_TARGET_CHARS = 200;

export const ESCALATION_ACTIONS = {
  /**
   * Notify people outside the inbox. `target` names a destination the integrations layer resolves from its own
   * config (a webhook name such as `sla-alerts`, whose URL and secret never live in SLA config; or an e-mail
   * address or list). Webhook bodies are JSON that chat tools accept (`{ "text": ... }`).
   */
  notify: defineEscalationAction<{ channel: (typeof NOTIFY_CHANNELS)[number]; target: string }>({
    summary: 'Notify a webhook or an e-mail address',
    fields: ['channel', 'target'],
    validate: (action, path) => {
      const errors = oneOf(action.channel, NOTIFY_CHANNELS, `${path}.channel`);
      const target = action.target;
      if (typeof target !== 'string' || !target.trim() || target.length > MAX_TARGET_CHARS) {
        errors.push(`${path}.target: expected a non-empty string of at most ${MAX_TARGET_CHARS} characters`);
      } else if (action.channel === 'email' && !/^[^\s@]+@[^\s@]+$/.test(target)) {
        errors.push(`${path}.target: expected an e-mail address for channel "email", got "${target}"`);
      }
      return errors;
    },
    runsActivity: true,
  }),

  /** One step more urgent (low → normal → high → urgent), capped at urgent. */
  raise_priority: defineEscalationAction({
    summary: 'Raise the priority one step',
    fields: [],
    validate: () => [],
    applyToTicket: (ticket) => ({ priority: nextPriorityUp(ticket.priority) }),
    runsActivity: false,
  }),

  /** Move the ticket to another queue (an agent holding it keeps the claim); the ticket counts as escalated. */
  move_to_queue: defineEscalationAction<{ queue: Queue }>({
    summary: 'Move the ticket to a queue',
    fields: ['queue'],
    validate: (action, path) => oneOf(action.queue, QUEUES, `${path}.queue`),
    applyToTicket: (_ticket, action) => ({ queue: action.queue, escalated: true }),
    runsActivity: false,
  }),

  /**
   * Hand the ticket to the supervisor on duty: the current claim is released and the activity assigns and
   * alerts the supervisor of the ticket's queue.
   */
  reassign_to_supervisor: defineEscalationAction({
    summary: 'Reassign the ticket to the supervisor on duty',
    fields: [],
    validate: () => [],
    applyToTicket: () => ({ claimedBy: null, escalated: true }),
    runsActivity: true,
  }),
};

type Registry = typeof ESCALATION_ACTIONS;
type FieldsOf<Spec> = Spec extends EscalationActionSpec<infer Fields> ? Fields : never;

export type EscalationActionType = keyof Registry;
/** One action as configured: `{ type, ...fields }`, for every registered type. */
export type EscalationAction = {
  [Type in EscalationActionType]: { type: Type } & FieldsOf<Registry[Type]>;
}[EscalationActionType];

export const ESCALATION_ACTION_TYPES = Object.keys(ESCALATION_ACTIONS) as EscalationActionType[];

export function isEscalationActionType(type: unknown): type is EscalationActionType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(ESCALATION_ACTIONS, type);
}

/** A registry of action specs by type; `ESCALATION_ACTIONS` is the one the product uses. */
export type EscalationActionRegistry = Readonly<Record<string, EscalationActionSpec<never>>>;

/**
 * Validation errors for one configured action (unknown type, unknown field, bad field value), with paths.
 * `registry` is for tests of a new action type before it is registered.
 */
export function validateEscalationAction(
  raw: unknown,
  path: string,
  registry: EscalationActionRegistry = ESCALATION_ACTIONS,
): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [`${path}: expected an object like { "type": "notify", ... }`];
  const action = raw as Record<string, unknown>;
  const type = action.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(registry, type)) {
    return [
      `${path}.type: unknown escalation action type ${JSON.stringify(type)}; known types: ${Object.keys(registry).join(', ')}`,
    ];
  }
  const spec = registry[type] as EscalationActionSpec<never>;
  const allowed = new Set<string>(['type', ...spec.fields]);
  const unknown = Object.keys(action)
    .filter((key) => !allowed.has(key))
    .map((key) => `${path}.${key}: unknown field for action "${action.type}" (allowed: ${[...allowed].join(', ')})`);
  return [...unknown, ...spec.validate(action, path)];
}

/** The ticket after the action's in-workflow effect (the same ticket when the action has none). */
export function applyEscalationAction<T extends EscalatedTicket>(ticket: T, action: EscalationAction): T {
  const spec = ESCALATION_ACTIONS[action.type] as EscalationActionSpec<EscalationAction>;
  return spec.applyToTicket ? { ...ticket, ...spec.applyToTicket(ticket, action) } : ticket;
}

/** True when the action needs the `runEscalationAction` activity. */
export function escalationActionRunsActivity(action: EscalationAction): boolean {
  return ESCALATION_ACTIONS[action.type].runsActivity;
}

/**
 * The idempotency key of one action of one level of one metric clock: the same on every replay and retry, and
 * different for the next clock of the same metric (a later customer message starts a new next-reply clock).
 */
export function escalationActionKey(p: {
  ticketId: string;
  metric: SlaMetric;
  clockStartedAt: Date;
  levelId: string;
  actionIndex: number;
}): string {
  return `ticket:${p.ticketId}:sla:${p.metric}:${p.clockStartedAt.toISOString()}:${p.levelId}:${p.actionIndex}`;
}

/** One step more urgent, capped at `urgent`; a ticket without a priority counts as `normal`. */
export function nextPriorityUp(priority: Priority | null): Priority {
  const index = PRIORITY_ORDER.indexOf(priority ?? 'normal');
  return PRIORITY_ORDER[Math.min(index + 1, PRIORITY_ORDER.length - 1)] as Priority;
}

function oneOf(value: unknown, allowed: readonly string[], path: string): string[] {
  return typeof value === 'string' && allowed.includes(value)
    ? []
    : [`${path}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`];
}
