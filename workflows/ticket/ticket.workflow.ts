import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { ClassifyResult, TicketActivities } from '../../activities';
import type { Draft, TicketStatus, TriageOutcome } from '../../libs/domain';
import {
  approveUpdate,
  stateQuery,
  type ApproveInput,
  type DecisionRejection,
  type TicketState,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from './ticket.messages';
import { TicketSearchAttributes as SA } from './ticket.search-attributes';
import { workflowNow } from './workflow-clock';

const retry = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' } as const;

/** Reading and pure decisions: short timeouts, retried until they succeed. */
const { fetchOrder, scoreConfidence, routeTicket, publishBriefing, setTicketStatus, recordDecision } =
  proxyActivities<TicketActivities>({ startToCloseTimeout: '15s', retry });

/** Model calls may be slow; a permanent failure surfaces as non-retryable. */
const { classify, draftReply } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '90s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumAttempts: 5 },
});

/** Email delivery: retried on 4xx and network errors, never on 5xx (non-retryable by the activity). */
const { sendReply } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '60s',
  heartbeatTimeout: '30s',
  retry: { ...retry, maximumInterval: '5m' },
});

const CLOSED: TicketStatus[] = ['resolved', 'closed'];

/**
 * One ticket, from the first customer message to the reply: triage (classify → fetch order → draft → score
 * → route), then either an auto-send or a durable wait for an agent's decision, escalating when the review
 * deadline passes. The deadline escalates; it never fails the ticket.
 */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  const { ticketId } = input;
  const state: TicketState = { status: 'triaging', route: null, draftVersion: 0, escalated: false };
  let outcome: TriageOutcome | null = null;
  let approval: (ApproveInput & { updateId: string }) | null = null;
  let sentDraftVersion: number | null = null;

  setHandler(stateQuery, () => ({ ...state }));

  setHandler(
    approveUpdate,
    (request) => {
      approval = { ...request, updateId: currentUpdateId() };
      setStatus('sending');
      return { status: state.status, draftVersion: state.draftVersion };
    },
    {
      validator: (request) => {
        if (CLOSED.includes(state.status)) reject('TICKET_CLOSED', 'the ticket is closed');
        if (approval !== null || !outcome?.draft || !['awaiting_review', 'escalated'].includes(state.status)) {
          reject('TICKET_NOT_AWAITING_REVIEW', `the ticket is ${state.status}, not awaiting review of a draft`);
        }
        if (request.draftVersion !== state.draftVersion) {
          reject(
            'STALE_DRAFT_VERSION',
            `draft version ${request.draftVersion} is not the current version ${state.draftVersion}`,
          );
        }
      },
    },
  );

  function setStatus(status: TicketStatus): void {
    state.status = status;
    upsertSearchAttributes([{ key: SA.status, value: status }]);
  }

  // Triage.
  setCurrentDetails('Triaging: classifying the message, fetching the order, drafting a reply.');
  upsertSearchAttributes([{ key: SA.status, value: state.status }]);
  const context = await classify({ ticketId });
  const order = await fetchOrder({
    ticketId,
    orderNumber: context.requestedOrderNumber,
    customerEmail: context.customerEmail,
  });
  const draft = await draftReply({
    classification: context.classification,
    order,
    customerName: context.customerName,
    version: 1,
  });
  const confidence = await scoreConfidence({
    classification: context.classification,
    order,
    draft,
    requestedOrderNumber: context.requestedOrderNumber,
  });
  const decision = await routeTicket({ classification: context.classification, order, confidence, draft });
  outcome = { classification: context.classification, order, draft, confidence, decision };
  state.route = decision.route;
  state.draftVersion = draft.version;
  state.escalated = decision.route === 'escalate';
  state.status =
    decision.route === 'auto' ? 'auto_send_pending' : decision.route === 'review' ? 'awaiting_review' : 'escalated';
  await publishBriefing({ ticketId, outcome, status: state.status });
  upsertSearchAttributes([
    { key: SA.status, value: state.status },
    { key: SA.route, value: decision.route },
    { key: SA.queue, value: decision.queue },
    { key: SA.priority, value: decision.priority },
    { key: SA.intent, value: context.classification.primaryIntent },
    { key: SA.confidence, value: confidence.score },
    { key: SA.escalated, value: state.escalated },
  ]);

  if (decision.route === 'auto') {
    setCurrentDetails(`Auto-reply queued: sends in ${input.autoSendUndoSeconds}s unless an agent cancels it.`);
    await condition(() => false, input.autoSendUndoSeconds * 1000);
    await deliver(context, draft, 'auto');
  } else {
    await awaitAgentDecision();
    if (approval) {
      const { actor, updateId, draftVersion } = approval;
      await recordDecision({
        ticketId,
        key: `update:${updateId}`,
        actor,
        action: 'approve',
        before: { status: outcome.decision.route === 'review' ? 'awaiting_review' : 'escalated', draftVersion },
        after: { status: 'sending', draftVersion },
      });
      await deliver(context, draft, 'agent');
    }
  }

  await condition(allHandlersFinished);
  return { status: state.status, route: state.route, sentDraftVersion };

  async function awaitAgentDecision(): Promise<void> {
    const deadline = new Date(workflowNow().getTime() + input.reviewSlaSeconds * 1000);
    upsertSearchAttributes([
      { key: SA.slaState, value: 'ok' },
      { key: SA.slaDeadline, value: deadline },
    ]);
    setCurrentDetails(
      `Waiting for an agent in queue ${decision.queue} (${decision.route}); review due ${deadline.toISOString()}.`,
    );
    if (await condition(() => approval !== null, input.reviewSlaSeconds * 1000)) return;

    // The review deadline passed: escalate, record the breach at the moment it happened, keep waiting.
    const breachedAt = workflowNow().toISOString();
    state.escalated = true;
    if (state.status === 'awaiting_review') state.status = 'escalated';
    upsertSearchAttributes([
      { key: SA.slaState, value: 'breached' },
      { key: SA.escalated, value: true },
      { key: SA.status, value: state.status },
      { key: SA.queue, value: 'escalations' },
      { key: SA.priority, value: 'urgent' },
    ]);
    await recordDecision({
      ticketId,
      key: `ticket:${ticketId}:sla-breach:review`,
      actor: 'system',
      action: 'sla_breach',
      before: { queue: decision.queue, priority: decision.priority },
      after: { queue: 'escalations', priority: 'urgent', breachedAt, reason: 'review_deadline_passed' },
    });
    await setTicketStatus({ ticketId, status: state.status });
    setCurrentDetails(`Review deadline passed at ${breachedAt}; escalated and waiting for an agent.`);
    await condition(() => approval !== null);
  }

  async function deliver(ctx: ClassifyResult, reply: Draft, sentBy: 'auto' | 'agent'): Promise<void> {
    setStatus('sending');
    setCurrentDetails(`Sending reply (draft v${reply.version}).`);
    await sendReply({
      ticketId,
      draftVersion: reply.version,
      to: ctx.customerEmail,
      subject: reply.subject,
      body: reply.body,
      inReplyTo: ctx.latestMessageId,
      sentBy,
    });
    sentDraftVersion = reply.version;
    setStatus('resolved');
    await setTicketStatus({ ticketId, status: 'resolved' });
    setCurrentDetails(`Resolved: reply v${reply.version} sent (${sentBy}).`);
  }
}

function reject(code: DecisionRejection, message: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

function currentUpdateId(): string {
  // The Update id is the caller's Idempotency-Key (or a generated one); it keys the audit row.
  const info = currentUpdateInfo();
  if (!info) throw new Error('currentUpdateId() called outside an Update handler');
  return info.id;
}
