/**
 * Triage: classify → fetch the order → draft → score → route, then publish the briefing. A classifier that fails
 * for good hands the ticket to a human (`classifier_unavailable`); a drafter that fails leaves no draft, and
 * routing says so. Each step is its own activity, so a crash resumes at the step it interrupted.
 */
import { ActivityFailure, setCurrentDetails } from '@temporalio/workflow';
import { keepHumanRoute, statusAfterRouting } from '../../libs/domain/workflow-rules';
import { activities as acts, localActivities as local, LOCAL, MODEL_CALL, ORDER_LOOKUP, QUICK } from './activities';
import type { TicketRun } from './ticket-state';
import { workflowNow } from './workflow-clock';

export async function triage(run: TicketRun): Promise<void> {
  const { state, clocks, ticketId } = run;
  const consumed = state.pendingMessages;
  const before = { route: state.route, claimedBy: state.claimedBy };
  const wasHuman = before.claimedBy !== null || (before.route !== null && before.route !== 'auto');
  run.transition('triaging');
  setCurrentDetails('Triaging: classifying the message, fetching the order, drafting a reply.');

  const version = state.draftVersion + 1;
  const context = await acts.classify
    .executeWithOptions({ ...MODEL_CALL, summary: 'Classify intents, sentiment and urgency' }, [{ ticketId }])
    .catch(async (error: unknown) => {
      if (!(error instanceof ActivityFailure)) throw error;
      return acts.classify.executeWithOptions({ ...QUICK, summary: 'Load the thread without a classifier' }, [
        { ticketId, fallback: true },
      ]);
    });
  run.context = context;
  let orderLookupFailed = false;
  const order = await acts.fetchOrder
    .executeWithOptions({ ...ORDER_LOOKUP, summary: 'Fetch the order snapshot' }, [
      {
        ticketId,
        orderNumber: context.requestedOrderNumber,
        customerEmail: context.customerEmail,
        ...(context.senderTrust ? { senderVerified: context.senderTrust.verified } : {}),
      },
    ])
    .catch((error: unknown) => {
      if (!(error instanceof ActivityFailure)) throw error;
      orderLookupFailed = true; // the shop cannot be asked: routing hands the ticket to a human, and says why
      return null;
    });
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
  const { classification, requestedOrderNumber, senderTrust } = context;
  const confidence = await local.scoreConfidence.executeWithOptions({ ...LOCAL, summary: 'Score confidence' }, [
    { classification, order, draft, requestedOrderNumber },
  ]);
  const routed = keepHumanRoute(
    await local.routeTicket.executeWithOptions({ ...LOCAL, summary: 'Route by policy and hard rules' }, [
      {
        classification,
        order,
        confidence,
        draft,
        ...(senderTrust ? { senderTrust } : {}),
        ...(orderLookupFailed ? { orderLookupFailed } : {}),
      },
    ]),
    before,
  );

  run.outcome = { classification, order, draft, confidence, decision: routed };
  run.autoSendCancelled = false;
  state.pendingMessages -= consumed;
  state.route = routed.route;
  state.queue = state.claimedBy && wasHuman && state.queue ? state.queue : routed.queue;
  state.priority = routed.priority;
  state.draftVersion = version;
  state.escalated = state.escalated || routed.route === 'escalate';
  const routedAt = workflowNow();
  clocks.retarget(run.slaFacts());
  if (routed.route !== 'auto') {
    clocks.start('human_pickup', routedAt, run.slaFacts());
    run.startHandoff(routedAt);
  }
  clocks.meet('pending_approval', routedAt); // an older draft is no longer pending
  if (routed.route !== 'auto' && draft) clocks.start('pending_approval', routedAt, run.slaFacts());
  Object.assign(state, clocks.summary(routedAt));
  run.transition(statusAfterRouting(routed.route));

  const snapshot = run.nextSnapshot();
  run.markPublished(); // the briefing carries the state: no second write for it
  await acts.publishBriefing.executeWithOptions({ ...QUICK, summary: 'Publish the briefing to the inbox' }, [
    { ticketId, outcome: run.outcome, snapshot },
  ]);
}
