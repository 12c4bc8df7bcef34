/**
 * Everything one ticket workflow run knows, and the only ways to change what others see of it: `transition()`
 * for the status (checked against the domain's transition rules, mirrored to search attributes at once) and
 * `publish()` for the inbox read model (every write with a higher `seq`).
 */
import { currentUpdateInfo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ClassifyResult } from '../../activities';
import { canTransition } from '../../libs/domain/workflow-rules';
import type {
  Actor,
  DecisionView,
  SlaTicketFacts,
  TicketSnapshot,
  TicketStatus,
  TriageOutcome,
} from '../../libs/domain';
import { activities, type AuditWriter, type StateWriter } from './activities';
import { SlaClocks } from './sla-clocks';
import type {
  AgentDecision,
  CarriedState,
  DecisionResult,
  Handoff,
  TicketState,
  TicketWorkflowInput,
} from './ticket.messages';
import { ticketSearchAttributes } from './ticket.search-attributes';
import { workflowNow } from './workflow-clock';

/** Continue as new well before the history gets heavy; long threads carry their state over. */
const MAX_HISTORY_EVENTS = 2_000;
/**
 * How many signalled message ids the state remembers. The ids are a guard against a repeated signal; the durable
 * check is the database: a message is stored once, and handed to the workflow again only until it is marked
 * handed over, so an id old enough to fall out of this window is never signalled again.
 */
const SEEN_MESSAGE_IDS = 200;

export class TicketRun {
  readonly ticketId: string;
  readonly state: TicketState;
  readonly clocks: SlaClocks;
  private readonly seenMessageIds: string[];
  outcome: TriageOutcome | null;
  context: ClassifyResult | null;
  sentDraftVersion: number | null;
  /** Replies started over every run (carried); the database's count of recorded replies is the floor of a new run. */
  repliesStarted: number;
  /** The handoff to people no reply has ended yet (see acknowledgement.ts). */
  handoff: Handoff | null;
  private handoffs: number;
  /** An accepted decision the main loop has not carried out yet. */
  decision: AgentDecision | null;
  autoSendCancelled = false;
  /** A sent reply bounced (a delivery report came back); the main loop hands the ticket back to people. */
  bounce: { messageId: string; reason: string } | null = null;
  /** Bumped by every handler that changes what the SLA clocks depend on, so a waiting ladder recomputes its timer. */
  private revision = 0;
  private lastPublished = '';
  /** What the search attributes hold now, so an upsert carries only what changed. */
  private readonly attributes = new Map<string, string>();

  constructor(readonly input: TicketWorkflowInput) {
    const carried = input.carried;
    this.ticketId = input.ticketId;
    this.state = carried?.state ?? {
      // Read-model writes are ordered by seq; a fresh run of a ticket (a restart, a reopen) starts above every
      // earlier run's writes, so its state wins over theirs.
      seq: workflowInfo().runStartTime.getTime() * 1000,
      status: 'received',
      route: null,
      queue: null,
      priority: null,
      draftVersion: 0,
      escalated: false,
      claimedBy: null,
      slaState: 'ok',
      slaDeadline: null,
      pendingMessages: 0,
    };
    this.clocks = new SlaClocks(input.slaConfig, carried?.slaClocks ?? []);
    this.seenMessageIds = [...(carried?.seenMessageIds ?? [])];
    this.outcome = carried?.outcome ?? null;
    this.context = carried?.context ?? null;
    this.sentDraftVersion = carried?.sentDraftVersion ?? null;
    this.repliesStarted = carried?.repliesStarted ?? 0;
    this.handoff = carried?.handoff ?? null;
    this.handoffs = carried?.handoffs ?? 0;
    this.decision = carried?.decision ?? null;
    for (const pair of workflowInfo().typedSearchAttributes.getAll()) {
      this.attributes.set(pair.key.name, attributeValue(pair.value));
    }
    if (!carried) this.clocks.start('first_reply', workflowInfo().startTime, null);
    // Decided by the run's input alone, so every replay of this run decides the same.
    if (carried?.published) this.markPublished();
  }

  /** The one way the status changes. An illegal move is a bug: it fails the workflow task, never the ticket. */
  transition(status: TicketStatus): void {
    if (!canTransition(this.state.status, status)) {
      throw new Error(`ticket ${this.ticketId} cannot move from ${this.state.status} to ${status}`);
    }
    this.state.status = status;
    this.syncSearchAttributes();
  }

  /** The ticket goes to people; a handoff already running (a follow-up before any reply) goes on. */
  startHandoff(at: Date): void {
    if (this.handoff) return;
    this.handoffs += 1;
    this.handoff = { number: this.handoffs, startedAt: at.toISOString(), acknowledged: false };
  }

  /** A reply went out, or the ticket closed: the customer is no longer waiting on people. */
  endHandoff(): void {
    this.handoff = null;
  }

  /** A ticket waiting for review that an SLA level escalated shows as escalated. */
  showEscalation(): void {
    if (this.state.escalated && this.state.status === 'awaiting_review') this.transition('escalated');
  }

  /** A customer message arrived by signal; a repeat of a message already seen is not a new one. */
  receiveMessage(messageId: string): void {
    if (this.seenMessageIds.includes(messageId)) return;
    this.seenMessageIds.push(messageId);
    if (this.seenMessageIds.length > SEEN_MESSAGE_IDS) this.seenMessageIds.shift();
    this.state.pendingMessages += 1;
    if (this.state.status === 'waiting_on_customer') this.clocks.resume(workflowNow());
  }

  /** The first thing any agent does on the ticket ends the human-pickup clock. */
  agentActed(): void {
    this.clocks.meet('human_pickup', workflowNow());
    this.revision += 1;
  }

  /** Changes when anything a waiting ladder depends on changes. */
  changeKey(): string {
    const { status, queue, priority, claimedBy, pendingMessages } = this.state;
    return `${this.revision}|${status}|${queue}|${priority}|${claimedBy}|${pendingMessages}`;
  }

  /** What SLA policies match on; VIP only when the order system says so, never because the customer claims it. */
  slaFacts(): SlaTicketFacts {
    return {
      queue: this.state.queue,
      priority: this.state.priority,
      tier: this.outcome?.order?.customer.vip ? 'vip' : 'standard',
      intent: this.outcome?.classification.primaryIntent ?? null,
      channel: 'email',
    };
  }

  /** What the decision validators look at. */
  decisionView(): DecisionView {
    const { status, claimedBy, queue, draftVersion, pendingMessages } = this.state;
    const hasDraft = Boolean(this.outcome?.draft);
    return {
      status,
      claimedBy,
      queue,
      draftVersion,
      pendingMessages,
      decisionPending: this.decision !== null,
      hasDraft,
    };
  }

  result(): DecisionResult {
    const { status, draftVersion, claimedBy, queue } = this.state;
    return { status, draftVersion, claimedBy, queue };
  }

  /** The number of the next reply: above every reply of this run, of earlier runs and of the read model. */
  nextReplyNumber(): number {
    this.repliesStarted = Math.max(this.repliesStarted, this.context?.repliesRecorded ?? 0) + 1;
    return this.repliesStarted;
  }

  /** The next snapshot for the read model: every publication gets a higher `seq` than the last. */
  nextSnapshot(): TicketSnapshot {
    this.state.seq += 1;
    const { pendingMessages: _pending, ...snapshot } = this.state;
    return snapshot;
  }

  /**
   * Mirrors the state to Temporal UI (search attributes) and to the inbox read model. Handlers pass the snapshot
   * they took when they changed the state, so what the read model gets is what the decision did.
   */
  async publish(snapshot: TicketSnapshot = this.nextSnapshot(), via: StateWriter = activities): Promise<void> {
    this.markPublished();
    this.syncSearchAttributes();
    await via.publishState({ ticketId: this.ticketId, snapshot });
  }

  /** Publishes only when what the inbox shows changed (waiting passes of the ladder mostly change nothing). */
  async publishIfChanged(via: StateWriter): Promise<void> {
    if (this.hasUnpublishedChanges()) await this.publish(this.nextSnapshot(), via);
  }

  /** Whether the inbox shows something other than what was last published. */
  hasUnpublishedChanges(): boolean {
    return this.visibleState() !== this.lastPublished;
  }

  /** The state was written by other means (the briefing carries it): no second write for it. */
  markPublished(): void {
    this.lastPublished = this.visibleState();
  }

  /**
   * One audit row. Its key is the Update id for agents' decisions, so a retried write records it once; otherwise the
   * run and its history position, the same on every replay and unique across runs (restarts, continue-as-new).
   */
  async audit(
    actor: Actor,
    action: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
    via: AuditWriter = activities,
  ): Promise<void> {
    const updateId = currentUpdateInfo()?.id;
    const key = updateId
      ? `update:${this.ticketId}:${updateId}`
      : `ticket:${this.ticketId}:${action}:${workflowInfo().runId}:${workflowInfo().historyLength}`;
    await via.recordDecision({ ticketId: this.ticketId, key, actor: actor.id, action, before, after });
  }

  /** Upserts the search attributes whose values changed: one command, or none when nothing did. */
  syncSearchAttributes(): void {
    const changed = ticketSearchAttributes(this.state, this.outcome).filter(
      (pair) => this.attributes.get(pair.key.name) !== attributeValue(pair.value),
    );
    if (changed.length === 0) return;
    for (const pair of changed) this.attributes.set(pair.key.name, attributeValue(pair.value));
    upsertSearchAttributes(changed);
  }

  shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return (
      info.continueAsNewSuggested || info.historyLength > (this.input.continueAsNewAfterEvents ?? MAX_HISTORY_EVENTS)
    );
  }

  carry(): CarriedState {
    return {
      state: { ...this.state },
      outcome: this.outcome,
      context: this.context,
      seenMessageIds: [...this.seenMessageIds],
      sentDraftVersion: this.sentDraftVersion,
      repliesStarted: this.repliesStarted,
      handoff: this.handoff,
      handoffs: this.handoffs,
      decision: this.decision,
      slaClocks: this.clocks.records,
      published: !this.hasUnpublishedChanges(),
    };
  }

  /** What the inbox shows of the state, as a comparable string. */
  private visibleState(): string {
    const { seq: _seq, pendingMessages: _pending, ...visible } = this.state;
    return JSON.stringify(visible);
  }
}

function attributeValue(value: unknown): string {
  return value instanceof Date ? value.toISOString() : JSON.stringify(value ?? null);
}
