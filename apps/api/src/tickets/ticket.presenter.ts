import type { TicketView } from '../../../../libs/persistence';

/** The ticket as the API shows it: status, decision, briefing and thread. */
export function presentTicket({ ticket, messages, audit }: TicketView) {
  const triage = ticket.triage;
  return {
    ticketId: ticket.id,
    workflowId: ticket.workflowId,
    status: ticket.status,
    route: ticket.route,
    queue: ticket.queue,
    priority: ticket.priority,
    claimedBy: ticket.claimedBy,
    escalated: ticket.escalated,
    sla: { state: ticket.slaState, deadline: ticket.slaDeadline?.toISOString() ?? null },
    parentTicketId: ticket.parentTicketId,
    confidence: triage ? triage.confidence : null,
    draft: triage?.draft
      ? { version: triage.draft.version, subject: triage.draft.subject, body: triage.draft.body, selfCheck: triage.draft.selfCheck }
      : null,
    decision: triage ? triage.decision : null,
    classification: triage
      ? {
          primaryIntent: triage.classification.primaryIntent,
          intents: triage.classification.intents,
          sentiment: triage.classification.sentiment,
          language: triage.classification.language,
        }
      : null,
    order: triage?.order ?? null,
    thread: messages.map((m) => ({
      messageId: m.messageId,
      direction: m.direction,
      from: m.direction === 'inbound' ? { email: m.fromEmail, name: m.fromName } : null,
      subject: m.subject,
      text: m.bodyText,
      receivedAt: m.receivedAt.toISOString(),
    })),
    audit: audit.map((a) => ({ actor: a.actor, action: a.action, before: a.before, after: a.after, at: a.createdAt.toISOString() })),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    closedAt: ticket.closedAt?.toISOString() ?? null,
  };
}
