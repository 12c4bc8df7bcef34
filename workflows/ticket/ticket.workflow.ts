import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ClassifyResult, TicketActivities } from '../../activities';
import type { Draft, Route, TicketSnapshot, TicketStatus, TriageOutcome } from '../../libs/domain';
import {
  applyEscalationAction,
  earliestDueAt,
  escalationActionKey,
  escalationActionRunsActivity,
  type LadderLevel,
  type SlaTicketFacts,
} from '../../libs/domain/src/sla';
import { raisePriority, resolveSlaTarget, responseDeadline } from '../../libs/domain/src/sla/response-targets';
import {
  approveUpdate,
  awaitCustomerUpdate,
  cancelAutoSendUpdate,
  claimUpdate,
  customerMessageSignal,
  editUpdate,
  LIMITS,
  noteUpdate,
  reassignUpdate,
  rejectUpdate,
  stateQuery,
  type Actor,
  type AgentDecision,
  type CarriedState,
  type DecisionRejection,
  type DecisionResult,
  type TicketState,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from './ticket.messages';
import { SlaClocks, type MetricRecord } from './sla-clocks';
import { TicketSearchAttributes as SA } from './ticket.search-attributes';
import { workflowNow } from './workflow-clock';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;
const QUICK = { startToCloseTimeout: '15s', retry } as const;
const MODEL_CALL = {
  startToCloseTimeout: '90s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumAttempts: 5 },
} as const;
const DELIVERY = {
  startToCloseTimeout: '60s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumInterval: '5m' },
} as const;

const acts = proxyActivities<TicketActivities>(QUICK);
/** Short steps (scoring, routing, an SLA pass's own writes) as local activities: recorded without a round trip to the server. */
const LOCAL = { startToCloseTimeout: '10s', retry } as const;
const local =
  proxyLocalActivities<Pick<TicketActivities, 'scoreConfidence' | 'routeTicket' | 'recordDecision' | 'publishState'>>(
    LOCAL,
  );

/** Continue as new well before the history gets heavy; long threads carry their state over. */
const MAX_HISTORY_EVENTS = 2_000;
const ROUTE_SEVERITY: Record<Route, number> = { auto: 0, review: 1, escalate: 2 };
const AWAITING_AGENT: TicketStatus[] = ['awaiting_review', 'escalated'];
const FINISHED: TicketStatus[] = ['resolved', 'closed'];

/**
 * One ticket, from the first customer message to the last reply. Triage (classify → fetch order → draft →
 * score → route), then an auto-send with an undo window, or a durable wait for an agent's decision under a
 * response deadline that escalates — never fails — when it passes. Customer follow-ups re-triage and make the
 * old draft stale; a resolved ticket stays open for a reply until its reopen window ends.
 */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  const { ticketId } = input;
  const carried = input.carried;
  // SLA ladders arrived after the first tickets ran: those keep their first-version response targets.
  const ladders = patched('sla-ladders') && input.slaConfig !== undefined;
  // Scoring and routing moved to local activities after the first tickets ran (those keep regular activities).
  const localScoring = patched('local-scoring');
  // An SLA pass's own bookkeeping (breach and level audits, the read-model write) became local activities after
  // the first ladders ran: a level costs one workflow task instead of one per write.
  const slaWrites = patched('sla-local-writes') ? local : acts;
  const clocks = ladders && input.slaConfig ? new SlaClocks(input.slaConfig, carried?.slaClocks ?? []) : null;
  const state: TicketState = carried?.state ?? {
    // Read-model writes are ordered by seq; a fresh run of a ticket (a restart, a reopen) starts above every
    // earlier run's writes, so its state wins over theirs.
    seq: workflowInfo().runStartTime.getTime() * 1000,
    status: 'triaging',
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
  const seenMessageIds = new Set(carried?.seenMessageIds ?? []);
  let outcome: TriageOutcome | null = carried?.outcome ?? null;
  let context: ClassifyResult | null = carried?.context ?? null;
  let clockStartedAt = carried ? new Date(carried.clockStartedAt) : workflowInfo().startTime;
  let clockMetric = carried?.clockMetric ?? 'first_response';
  let breachRecorded = carried?.breachRecorded ?? false;
  let sentDraftVersion = carried?.sentDraftVersion ?? null;
  let decision: AgentDecision | null = carried?.decision ?? null;
  let autoSendCancelled = false;
  /** Bumped by every handler that changes what the SLA clocks depend on, so a waiting ladder recomputes its timer. */
  let revision = 0;
  let lastPublished = '';
  if (!carried) clocks?.start('first_reply', workflowInfo().startTime, null);

  // ---- Messages -------------------------------------------------------------------------------------------

  setHandler(stateQuery, () => ({ ...state }));

  setHandler(customerMessageSignal, ({ messageId }) => {
    if (seenMessageIds.has(messageId)) return;
    seenMessageIds.add(messageId);
    state.pendingMessages += 1;
    if (state.status === 'waiting_on_customer') clocks?.resume(workflowNow());
  });

  setHandler(
    claimUpdate,
    async ({ actor, takeOver }) => {
      const before = state.claimedBy;
      state.claimedBy = actor.id;
      agentActed();
      const answer = result();
      const snapshot = nextSnapshot();
      await audit(actor, takeOver && before ? 'take_over' : 'claim', { claimedBy: before }, { claimedBy: actor.id });
      await publish(snapshot);
      return answer;
    },
    {
      validator: ({ actor, takeOver }) => {
        requireOpen();
        if (!AWAITING_AGENT.includes(state.status)) {
          reject('TICKET_NOT_AWAITING_REVIEW', `the ticket is ${state.status}; there is nothing to claim`);
        }
        if (state.claimedBy && state.claimedBy !== actor.id && !(takeOver && isSupervisor(actor))) {
          reject('TICKET_CLAIMED_BY_OTHER', 'another agent holds this ticket; a supervisor may take it over');
        }
      },
    },
  );

  setHandler(
    approveUpdate,
    async ({ actor, draftVersion }) => {
      const draft = outcome?.draft as Draft;
      return decide({ kind: 'send', actor, body: draft.body, draftVersion, edited: false }, 'approve', {
        draftVersion,
      });
    },
    { validator: ({ actor, draftVersion }) => requireDraftDecision(actor, draftVersion) },
  );

  setHandler(
    editUpdate,
    async ({ actor, draftVersion, text }) =>
      decide({ kind: 'send', actor, body: text.trim(), draftVersion, edited: true }, 'edit', {
        draftVersion,
        chars: text.trim().length,
      }),
    {
      validator: ({ actor, draftVersion, text }) => {
        requireCurrentVersion(actor, draftVersion);
        const trimmed = typeof text === 'string' ? text.trim() : '';
        if (!trimmed || trimmed.length > LIMITS.replyChars) {
          reject('INVALID_DECISION', `the reply must be 1 to ${LIMITS.replyChars} characters`);
        }
      },
    },
  );

  setHandler(
    rejectUpdate,
    async ({ actor, reason, reply }) => {
      const text = reply?.trim();
      const choice: AgentDecision = text
        ? { kind: 'send', actor, body: text, draftVersion: state.draftVersion, edited: true }
        : { kind: 'close', actor };
      return decide(choice, 'reject', { reason, withReply: Boolean(text) });
    },
    {
      validator: ({ actor, reason, reply }) => {
        requireAgentTurn(actor);
        if (typeof reason !== 'string' || !reason.trim() || reason.length > LIMITS.reasonChars) {
          reject('INVALID_DECISION', `a reason of 1 to ${LIMITS.reasonChars} characters is required`);
        }
        if (reply !== undefined && (typeof reply !== 'string' || reply.length > LIMITS.replyChars)) {
          reject('INVALID_DECISION', `the reply may have at most ${LIMITS.replyChars} characters`);
        }
      },
    },
  );

  setHandler(
    reassignUpdate,
    async ({ actor, queue, reason }) => {
      const before = { queue: state.queue, claimedBy: state.claimedBy };
      state.queue = queue;
      state.claimedBy = null;
      agentActed();
      clocks?.retarget(slaFacts());
      const answer = result();
      const snapshot = nextSnapshot();
      await audit(actor, 'reassign', before, { queue, reason });
      await publish(snapshot);
      return answer;
    },
    {
      validator: ({ actor, queue }) => {
        requireOpen();
        requireNotHeldByOther(actor);
        if (queue === state.queue) reject('INVALID_DECISION', `the ticket is already in queue ${queue}`);
      },
    },
  );

  setHandler(
    noteUpdate,
    async ({ actor, text }) => {
      agentActed();
      const answer = result();
      await audit(actor, 'note', null, { text });
      return answer;
    },
    {
      validator: ({ text }) => {
        if (typeof text !== 'string' || !text.trim() || text.length > LIMITS.noteChars) {
          reject('INVALID_DECISION', `a note must be 1 to ${LIMITS.noteChars} characters`);
        }
      },
    },
  );

  setHandler(
    cancelAutoSendUpdate,
    async ({ actor }) => {
      autoSendCancelled = true;
      state.route = 'review';
      state.claimedBy = actor.id;
      agentActed();
      setStatus('awaiting_review');
      const answer = result();
      const snapshot = nextSnapshot();
      await audit(actor, 'cancel_auto_send', { status: 'auto_send_pending' }, { status: 'awaiting_review' });
      await publish(snapshot);
      return answer;
    },
    {
      validator: (_input) => {
        requireOpen();
        if (state.status !== 'auto_send_pending') {
          reject('NO_AUTO_SEND_PENDING', `the ticket is ${state.status}; no auto-send is waiting`);
        }
      },
    },
  );

  setHandler(
    awaitCustomerUpdate,
    async ({ actor, reason }) => {
      const before = { status: state.status };
      agentActed();
      clocks?.pause(workflowNow());
      setStatus('waiting_on_customer');
      state.slaState = clocks ? 'paused' : state.slaState;
      const answer = result();
      const snapshot = nextSnapshot();
      await audit(actor, 'await_customer', before, { status: 'waiting_on_customer', reason });
      await publish(snapshot);
      return answer;
    },
    {
      validator: ({ actor, reason }) => {
        requireAgentTurn(actor);
        if (typeof reason !== 'string' || !reason.trim() || reason.length > LIMITS.reasonChars) {
          reject('INVALID_DECISION', `a reason of 1 to ${LIMITS.reasonChars} characters is required`);
        }
      },
    },
  );

  // ---- Main flow ------------------------------------------------------------------------------------------

  if (!carried) {
    upsertSearchAttributes([{ key: SA.status, value: state.status }]);
    await triage();
  }

  for (;;) {
    if (decision !== null) {
      await applyDecision();
      continue;
    }
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      // A decision accepted while handlers finished travels with the state; the next run applies it first.
      return continueAsNew<typeof ticketWorkflow>({ ...input, carried: carry() });
    }
    if (state.pendingMessages > 0) {
      if (FINISHED.includes(state.status)) reopen();
      await triage();
      continue;
    }
    switch (state.status) {
      case 'auto_send_pending':
        await awaitUndoWindow();
        continue;
      case 'awaiting_review':
      case 'escalated':
        await waitForAgent();
        continue;
      case 'waiting_on_customer':
        setCurrentDetails('Waiting on the customer; SLA clocks are paused until they reply.');
        await condition(() => state.pendingMessages > 0 || decision !== null || shouldContinueAsNew());
        continue;
      case 'resolved':
        if (await awaitCustomerReply()) continue;
        setStatus('closed');
        await publish();
        continue;
      case 'closed':
        setCurrentDetails('Closed.');
        await condition(allHandlersFinished);
        return { status: state.status, route: state.route, sentDraftVersion };
      default:
        // Every other status is transient inside one step; reaching it here is a bug, not a state to spin in.
        throw new Error(`ticket workflow reached an unexpected status at rest: ${state.status}`);
    }
  }

  // ---- Steps ----------------------------------------------------------------------------------------------

  async function triage(): Promise<void> {
    const consumed = state.pendingMessages;
    const previousRoute = state.route;
    const wasHuman = state.claimedBy !== null || (previousRoute !== null && previousRoute !== 'auto');
    setStatus('triaging');
    setCurrentDetails('Triaging: classifying the message, fetching the order, drafting a reply.');

    const version = state.draftVersion + 1;
    context = await acts.classify
      .executeWithOptions({ ...MODEL_CALL, summary: 'Classify intents, sentiment and urgency' }, [{ ticketId }])
      .catch(async (error: unknown) => {
        if (!(error instanceof ActivityFailure)) throw error;
        // The classifier failed for good: a human takes the ticket, with the reason `classifier_unavailable`.
        return acts.classify.executeWithOptions({ ...QUICK, summary: 'Load the thread without a classifier' }, [
          { ticketId, fallback: true },
        ]);
      });
    const order = await acts.fetchOrder.executeWithOptions({ ...QUICK, summary: 'Fetch the order snapshot' }, [
      {
        ticketId,
        orderNumber: context.requestedOrderNumber,
        customerEmail: context.customerEmail,
        ...(context.senderTrust ? { senderVerified: context.senderTrust.verified } : {}),
      },
    ]);
    const draft = await acts.draftReply
      .executeWithOptions({ ...MODEL_CALL, summary: 'Draft a grounded reply' }, [
        {
          classification: context.classification,
          order,
          customerName: context.customerName,
          customerText: context.customerText,
          requestedOrderNumber: context.requestedOrderNumber,
          version,
        },
      ])
      .catch((error: unknown) => {
        if (!(error instanceof ActivityFailure)) throw error;
        return null; // no draft: routing says so, and an agent writes the reply
      });
    const scoring = {
      classification: context.classification,
      order,
      draft,
      requestedOrderNumber: context.requestedOrderNumber,
    };
    const confidence = localScoring
      ? await local.scoreConfidence.executeWithOptions({ ...LOCAL, summary: 'Score confidence' }, [scoring])
      : await acts.scoreConfidence.executeWithOptions({ ...QUICK, summary: 'Score confidence' }, [scoring]);
    const routing = {
      classification: context.classification,
      order,
      confidence,
      draft,
      ...(context.senderTrust ? { senderTrust: context.senderTrust } : {}),
    };
    let routed = localScoring
      ? await local.routeTicket.executeWithOptions({ ...LOCAL, summary: 'Route by policy and hard rules' }, [routing])
      : await acts.routeTicket.executeWithOptions({ ...QUICK, summary: 'Route by policy and hard rules' }, [routing]);
    if (wasHuman && previousRoute && ROUTE_SEVERITY[routed.route] < ROUTE_SEVERITY[previousRoute]) {
      // A follow-up never takes a ticket away from the humans already on it.
      routed = {
        ...routed,
        route: previousRoute,
        reasons: [
          ...routed.reasons,
          {
            code: 'follow_up_keeps_human',
            detail: `a human was already handling this ticket (${previousRoute})`,
            evidence: [],
          },
        ],
      };
    }
    outcome = { classification: context.classification, order, draft, confidence, decision: routed };
    state.pendingMessages -= consumed;
    state.route = routed.route;
    state.queue = state.claimedBy && wasHuman && state.queue ? state.queue : routed.queue;
    state.priority = routed.priority;
    state.draftVersion = version;
    state.escalated = state.escalated || routed.route === 'escalate';
    state.status =
      routed.route === 'auto' ? 'auto_send_pending' : routed.route === 'review' ? 'awaiting_review' : 'escalated';
    autoSendCancelled = false;
    if (clocks) {
      const routedAt = workflowNow();
      clocks.retarget(slaFacts());
      if (routed.route !== 'auto') clocks.start('human_pickup', routedAt, slaFacts());
      clocks.meet('pending_approval', routedAt); // an older draft is no longer pending
      if (routed.route !== 'auto' && draft) clocks.start('pending_approval', routedAt, slaFacts());
      Object.assign(state, clocks.summary(routedAt));
    }
    publishSearchAttributes();
    const snapshot = nextSnapshot();
    if (localScoring) lastPublished = visibleState(); // the briefing carries the state: no second write for it
    await acts.publishBriefing.executeWithOptions({ ...QUICK, summary: 'Publish the briefing to the inbox' }, [
      { ticketId, outcome, snapshot },
    ]);
  }

  async function awaitUndoWindow(): Promise<void> {
    setCurrentDetails(`Auto-reply queued: sends in ${input.autoSendUndoSeconds}s unless an agent cancels it.`);
    const interrupted = await condition(
      () => autoSendCancelled || state.pendingMessages > 0 || shouldContinueAsNew(),
      input.autoSendUndoSeconds * 1000,
    );
    if (interrupted) return;
    const draft = outcome?.draft as Draft;
    await deliver({ kind: 'send', actor: SYSTEM, body: draft.body, draftVersion: state.draftVersion, edited: false });
  }

  /** A resolved ticket waits for the customer; true when they wrote back (or the history needs a fresh run). */
  async function awaitCustomerReply(): Promise<boolean> {
    setCurrentDetails(`Resolved; open for a customer reply for ${input.reopenWindowSeconds}s.`);
    return condition(() => state.pendingMessages > 0 || shouldContinueAsNew(), input.reopenWindowSeconds * 1000);
  }

  async function applyDecision(): Promise<void> {
    const chosen = decision as AgentDecision;
    decision = null;
    if (chosen.kind === 'send') {
      await deliver(chosen);
      return;
    }
    setStatus('closed');
    await publish();
  }

  async function waitForAgent(): Promise<void> {
    if (clocks) await waitOnLadders(clocks);
    else await waitOnResponseTarget(input.sla ?? []);
  }

  /**
   * SLA ladders: fire what is due (breaches are recorded when they happen, never back-dated; overdue levels all
   * fire, in order, after downtime), then keep ONE timer for the next level and wake early on any change.
   */
  async function waitOnLadders(slaClocks: SlaClocks): Promise<void> {
    const now = workflowNow();
    let acted = false;
    for (const { record, step } of slaClocks.steps(now)) {
      if (step.breachDueNow) {
        record.breachRecorded = true;
        acted = true;
        await recordBreach(slaClocks, record, step.deadline, now);
      }
      for (const level of step.levelsDueNow) {
        record.firedLevelIds.push(level.id);
        acted = true;
        await fireLevel(record, level, now);
      }
    }
    Object.assign(state, slaClocks.summary(now));
    if (state.escalated && state.status === 'awaiting_review') state.status = 'escalated';
    await publishIfChanged(slaWrites);
    if (acted) return;

    const dueAt = earliestDueAt(slaClocks.steps(now).map((s) => s.step));
    setCurrentDetails(
      `Waiting for an agent in queue ${state.queue} (${state.route}, priority ${state.priority})` +
        (state.claimedBy ? `, claimed by ${state.claimedBy}` : '') +
        `; SLA ${state.slaState}${state.slaDeadline ? `, due ${state.slaDeadline}` : ''}` +
        (dueAt ? `; next escalation step at ${dueAt.toISOString()}.` : '.'),
    );
    const somethingToDo = () =>
      decision !== null ||
      state.pendingMessages > 0 ||
      !AWAITING_AGENT.includes(state.status) ||
      shouldContinueAsNew() ||
      changed();
    const seen = stateKey();
    const changed = () => stateKey() !== seen;
    if (dueAt) await condition(somethingToDo, Math.max(dueAt.getTime() - now.getTime(), 1));
    else await condition(somethingToDo);
  }

  async function recordBreach(
    slaClocks: SlaClocks,
    record: MetricRecord,
    deadline: Date | null,
    now: Date,
  ): Promise<void> {
    state.slaState = 'breached';
    await slaWrites.recordDecision({
      ticketId,
      key: `ticket:${ticketId}:sla-breach:${record.metric}:${record.startedAt}`,
      actor: SYSTEM.id,
      action: 'sla_breach',
      before: null,
      after: {
        ...slaClocks.describe(record),
        deadline: deadline?.toISOString() ?? null,
        breachedAt: now.toISOString(),
      },
    });
  }

  /** One ladder level: its actions change the ticket in order; those that reach the outside run as activities. */
  async function fireLevel(record: MetricRecord, level: LadderLevel, now: Date): Promise<void> {
    const before = { queue: state.queue, priority: state.priority, claimedBy: state.claimedBy, status: state.status };
    for (const [index, action] of level.actions.entries()) {
      Object.assign(
        state,
        applyEscalationAction(
          { queue: state.queue, priority: state.priority, claimedBy: state.claimedBy, escalated: state.escalated },
          action,
        ),
      );
      if (escalationActionRunsActivity(action)) {
        const key = escalationActionKey({
          ticketId,
          metric: record.metric,
          clockStartedAt: new Date(record.startedAt),
          levelId: level.id,
          actionIndex: index,
        });
        await acts.runEscalationAction
          .executeWithOptions({ ...QUICK, summary: `SLA ${record.metric} ${level.id}: ${action.type}` }, [
            {
              key,
              ticketId,
              metric: record.metric,
              levelId: level.id,
              action,
              queue: state.queue,
              priority: state.priority,
              firedAt: now.toISOString(),
            },
          ])
          .then(({ assignTo }) => {
            if (assignTo) state.claimedBy = assignTo;
          })
          .catch(async (error: unknown) => {
            if (!(error instanceof ActivityFailure)) throw error;
            // A notification that cannot be delivered never stops the ladder: it is recorded for people to see.
            await audit(
              SYSTEM,
              'sla_action_failed',
              { level: level.id, action: action.type },
              { error: error.cause?.message ?? error.message },
            );
          });
      }
    }
    if (state.escalated && state.status === 'awaiting_review') state.status = 'escalated';
    await slaWrites.recordDecision({
      ticketId,
      key: `ticket:${ticketId}:sla:${record.metric}:${record.startedAt}:${level.id}`,
      actor: SYSTEM.id,
      action: 'sla_escalation',
      before,
      after: {
        metric: record.metric,
        level: level.id,
        actions: level.actions.map((a) => a.type),
        firedAt: now.toISOString(),
        queue: state.queue,
        priority: state.priority,
        claimedBy: state.claimedBy,
        status: state.status,
      },
    });
  }

  async function waitOnResponseTarget(targets: NonNullable<TicketWorkflowInput['sla']>): Promise<void> {
    const target = resolveSlaTarget(targets, state.queue, state.priority);
    const seconds = clockMetric === 'first_response' ? target.firstResponseSeconds : target.nextResponseSeconds;
    const deadline = responseDeadline(clockStartedAt, seconds);
    state.slaDeadline = deadline.toISOString();
    if (!breachRecorded) state.slaState = 'ok';
    await publish();
    setCurrentDetails(
      `Waiting for an agent in queue ${state.queue} (${state.route}, priority ${state.priority})` +
        (state.claimedBy ? `, claimed by ${state.claimedBy}` : '') +
        `; ${clockMetric.replace('_', ' ')} due ${state.slaDeadline}${breachRecorded ? ' (breached)' : ''}.`,
    );
    const somethingToDo = () =>
      decision !== null || state.pendingMessages > 0 || !AWAITING_AGENT.includes(state.status) || shouldContinueAsNew();
    if (breachRecorded) {
      await condition(somethingToDo); // the deadline already escalated: wait for the humans, however long
      return;
    }
    const remaining = deadline.getTime() - workflowNow().getTime();
    if (!(await condition(somethingToDo, Math.max(remaining, 1)))) await escalateOnBreach(deadline);
  }

  /** The response deadline passed: escalate once, record the breach when it happens, keep waiting. */
  async function escalateOnBreach(deadline: Date): Promise<void> {
    const breachedAt = workflowNow().toISOString();
    const before = { queue: state.queue, priority: state.priority, status: state.status };
    breachRecorded = true;
    state.slaState = 'breached';
    state.escalated = true;
    state.priority = raisePriority(state.priority);
    state.queue = 'escalations';
    if (state.status === 'awaiting_review') state.status = 'escalated';
    await publish();
    const after = {
      queue: state.queue,
      priority: state.priority,
      status: state.status,
      breachedAt,
      deadline: deadline.toISOString(),
      metric: clockMetric,
    };
    await acts.recordDecision({
      ticketId,
      key: `ticket:${ticketId}:sla-breach:${clockMetric}:${clockStartedAt.toISOString()}`,
      actor: SYSTEM.id,
      action: 'sla_breach',
      before,
      after,
    });
    await acts.notifyEscalation({
      ticketId,
      reason: 'sla_breach',
      metric: clockMetric,
      queue: 'escalations',
      priority: state.priority,
      breachedAt,
    });
  }

  async function deliver(choice: Extract<AgentDecision, { kind: 'send' }>): Promise<void> {
    if (!context) throw new Error('deliver() before triage');
    setStatus('sending');
    setCurrentDetails(`Sending reply (draft v${choice.draftVersion}${choice.edited ? ', edited by an agent' : ''}).`);
    try {
      await acts.sendReply.executeWithOptions({ ...DELIVERY, summary: `Send reply v${choice.draftVersion}` }, [
        {
          ticketId,
          draftVersion: choice.draftVersion,
          to: context.customerEmail,
          subject: (outcome?.draft?.subject ?? `Re: ${context.subject}`).slice(0, 998),
          body: choice.body,
          inReplyTo: context.latestMessageId,
          sentBy: choice.actor.role === 'system' ? 'auto' : 'agent',
        },
      ]);
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // A permanent delivery failure goes back to a human with the error; the ticket never silently fails.
      const cause = error.cause instanceof ApplicationFailure ? error.cause.message : 'delivery failed';
      state.escalated = true;
      setStatus('escalated');
      await audit(SYSTEM, 'delivery_failed', { draftVersion: choice.draftVersion }, { error: cause });
      await publish();
      return;
    }
    sentDraftVersion = choice.draftVersion;
    const sentAt = workflowNow();
    for (const metric of ['first_reply', 'next_reply', 'pending_approval', 'human_pickup'] as const)
      clocks?.meet(metric, sentAt);
    state.slaState = 'met';
    state.slaDeadline = null;
    state.claimedBy = null;
    setStatus('resolved');
    await publish();
  }

  function reopen(): void {
    // The customer answered a resolved ticket: the next-response clock starts at their message.
    clockStartedAt = workflowNow();
    clockMetric = 'next_response';
    breachRecorded = false;
    clocks?.start('next_reply', clockStartedAt, slaFacts());
  }

  // ---- Helpers --------------------------------------------------------------------------------------------

  async function decide(
    choice: AgentDecision,
    action: string,
    details: Record<string, unknown>,
  ): Promise<DecisionResult> {
    decision = choice;
    agentActed();
    clocks?.meet('pending_approval', workflowNow());
    if (choice.kind === 'close') clocks?.meetAll(workflowNow());
    const before = { status: state.status, claimedBy: state.claimedBy };
    state.claimedBy = choice.actor.id;
    setStatus(choice.kind === 'send' ? 'sending' : 'closed');
    const answer = result();
    const snapshot = nextSnapshot();
    await audit(choice.actor, action, before, { ...details, status: answer.status });
    await publish(snapshot);
    return answer;
  }

  /** The first thing any agent does on the ticket ends the human-pickup clock. */
  function agentActed(): void {
    clocks?.meet('human_pickup', workflowNow());
    revision += 1;
  }

  function stateKey(): string {
    return `${revision}|${state.status}|${state.queue}|${state.priority}|${state.claimedBy}|${state.pendingMessages}`;
  }

  /** What SLA policies match on; VIP only when the order system says so, never because the customer claims it. */
  function slaFacts(): SlaTicketFacts {
    return {
      queue: state.queue,
      priority: state.priority,
      tier: outcome?.order?.customer.vip ? 'vip' : 'standard',
      intent: outcome?.classification.primaryIntent ?? null,
      channel: 'email',
    };
  }

  /** Publishes only when what the inbox shows changed (waiting passes of the ladder mostly change nothing). */
  /** Keep this an awaited call even when nothing changed: its microtask turns order the commands of old histories. */
  async function publishIfChanged(via: Pick<TicketActivities, 'publishState'>): Promise<void> {
    if (visibleState() === lastPublished) return;
    await publish(nextSnapshot(), via);
  }

  /** What the inbox shows of the state, as a comparable string. */
  function visibleState(): string {
    const { seq: _seq, pendingMessages: _pending, ...visible } = state;
    return JSON.stringify(visible);
  }

  function requireOpen(): void {
    if (FINISHED.includes(state.status)) reject('TICKET_CLOSED', `the ticket is ${state.status}`);
  }

  function requireNotHeldByOther(actor: Actor): void {
    if (state.claimedBy && state.claimedBy !== actor.id && !isSupervisor(actor)) {
      reject('TICKET_CLAIMED_BY_OTHER', 'another agent holds this ticket');
    }
  }

  function requireAgentTurn(actor: Actor): void {
    requireOpen();
    if (decision !== null || !AWAITING_AGENT.includes(state.status)) {
      reject('TICKET_NOT_AWAITING_REVIEW', `the ticket is ${state.status}, not waiting for an agent`);
    }
    requireNotHeldByOther(actor);
  }

  function requireDraftDecision(actor: Actor, draftVersion: number): void {
    requireCurrentVersion(actor, draftVersion);
    if (!outcome?.draft)
      reject('TICKET_NOT_AWAITING_REVIEW', 'there is no draft to approve; edit or reject with a reply');
  }

  /** The agent answers the newest state of the thread: no unread follow-up, the version they saw is current. */
  function requireCurrentVersion(actor: Actor, draftVersion: number): void {
    requireAgentTurn(actor);
    if (state.pendingMessages > 0) {
      reject('STALE_DRAFT_VERSION', 'a newer customer message arrived; a new draft is being prepared');
    }
    if (draftVersion !== state.draftVersion) {
      reject('STALE_DRAFT_VERSION', `draft version ${draftVersion} is not the current version ${state.draftVersion}`);
    }
  }

  async function audit(
    actor: Actor,
    action: string,
    before: Record<string, unknown> | null,
    after: Record<string, unknown> | null,
  ): Promise<void> {
    const updateId = currentUpdateInfo()?.id;
    await acts.recordDecision({
      ticketId,
      key: updateId ? `update:${ticketId}:${updateId}` : `ticket:${ticketId}:${action}:${workflowInfo().historyLength}`,
      actor: actor.id,
      action,
      before,
      after,
    });
  }

  function setStatus(status: TicketStatus): void {
    state.status = status;
    upsertSearchAttributes([{ key: SA.status, value: status }]);
  }

  /** The next snapshot for the read model: every publication gets a higher `seq` than the last. */
  function nextSnapshot(): TicketSnapshot {
    state.seq += 1;
    const { pendingMessages: _pending, ...snapshot } = state;
    return snapshot;
  }

  /**
   * Mirrors the state to Temporal UI (search attributes) and to the inbox read model. Handlers pass the snapshot
   * they took when they changed the state, so what the read model gets is what the decision did.
   */
  async function publish(
    snapshot: TicketSnapshot = nextSnapshot(),
    via: Pick<TicketActivities, 'publishState'> = acts,
  ): Promise<void> {
    lastPublished = visibleState();
    publishSearchAttributes();
    await via.publishState({ ticketId, snapshot });
  }

  function publishSearchAttributes(): void {
    upsertSearchAttributes([
      { key: SA.status, value: state.status },
      { key: SA.route, value: state.route },
      { key: SA.queue, value: state.queue },
      { key: SA.priority, value: state.priority },
      { key: SA.intent, value: outcome?.classification.primaryIntent ?? null },
      { key: SA.confidence, value: outcome?.confidence.score ?? null },
      { key: SA.escalated, value: state.escalated },
      { key: SA.slaState, value: state.slaState },
      { key: SA.slaDeadline, value: state.slaDeadline ? new Date(state.slaDeadline) : null },
    ]);
  }

  function result(): DecisionResult {
    return { status: state.status, draftVersion: state.draftVersion, claimedBy: state.claimedBy, queue: state.queue };
  }

  function shouldContinueAsNew(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfterEvents ?? MAX_HISTORY_EVENTS);
  }

  function carry(): CarriedState {
    return {
      state: { ...state },
      outcome,
      context,
      seenMessageIds: [...seenMessageIds],
      clockStartedAt: clockStartedAt.toISOString(),
      clockMetric,
      breachRecorded,
      sentDraftVersion,
      decision,
      ...(clocks ? { slaClocks: clocks.records } : {}),
    };
  }
}

const SYSTEM: Actor = { id: 'system', role: 'system' };

function isSupervisor(actor: Actor): boolean {
  return actor.role === 'supervisor' || actor.role === 'admin';
}

function reject(code: DecisionRejection, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}
