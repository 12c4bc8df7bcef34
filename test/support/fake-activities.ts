import { ApplicationFailure } from '@temporalio/common';
import type { TicketActivities } from '../../activities';
import type { AuditEntry, Route, TicketSnapshot, TicketStatus } from '../../libs/domain';
import { classifyResult, confidenceOf, decisionOf, draftOf } from './fixtures';

export interface Recorder {
  activities: Partial<TicketActivities>;
  sent: Parameters<TicketActivities['sendReply']>[0][];
  audit: AuditEntry[];
  statuses: TicketStatus[];
  /** Acknowledgements sent to the customer at handoff. */
  acknowledgements: Parameters<TicketActivities['sendAcknowledgement']>[0][];
  /** SLA ladder actions that reach outside the workflow (queued notifications, the supervisor on duty). */
  escalations: Parameters<TicketActivities['runEscalationAction']>[0][];
  triages: number;
}

/**
 * Activities that answer like the real ones, recording every side effect the workflow asks for.
 * `routes` is the route of each triage round in turn (the last one repeats).
 */
export function fakeActivities(
  routes: Route | Route[],
  options: { gate?: Promise<void>; failSend?: boolean } = {},
): Recorder {
  const plan = Array.isArray(routes) ? routes : [routes];
  const rec: Recorder = {
    activities: {},
    sent: [],
    audit: [],
    statuses: [],
    acknowledgements: [],
    escalations: [],
    triages: 0,
  };
  /** Status transitions as the read model keeps them: ordered by `seq` (a late, older write is dropped), repeats folded. */
  let lastSeq = 0;
  const noteStatus = ({ seq, status }: TicketSnapshot): void => {
    if (seq <= lastSeq) return;
    lastSeq = seq;
    if (rec.statuses.at(-1) !== status) rec.statuses.push(status);
  };
  rec.activities = {
    classify: async () => {
      await options.gate;
      rec.triages += 1;
      return classifyResult();
    },
    fetchOrder: async () => null,
    draftReply: async ({ version }) => draftOf(version),
    scoreConfidence: async () => confidenceOf(0.7),
    routeTicket: async () => decisionOf(plan[Math.min(rec.triages, plan.length) - 1] as Route),
    publishBriefing: async ({ snapshot }) => noteStatus(snapshot),
    publishState: async ({ snapshot }) => noteStatus(snapshot),
    recordDecision: async (entry) => void rec.audit.push(entry),
    recordSlaPass: async (pass) => {
      rec.audit.push(...pass.audits);
      rec.escalations.push(...pass.notifications);
      if (pass.snapshot) noteStatus(pass.snapshot);
      return { assignTo: null };
    },
    runEscalationAction: async (input) => {
      rec.escalations.push(input);
      return { assignTo: null };
    },
    sendAcknowledgement: async (input) => {
      rec.acknowledgements.push(input);
      return { messageId: `<ack-${input.episode}@test>` };
    },
    sendReply: async (input) => {
      if (options.failSend) {
        throw ApplicationFailure.nonRetryable('SMTP rejected the reply permanently (550)', 'PermanentDeliveryError');
      }
      rec.sent.push(input);
      return { messageId: `<reply-${input.draftVersion}@test>` };
    },
  };
  return rec;
}
