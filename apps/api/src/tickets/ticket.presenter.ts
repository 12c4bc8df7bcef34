import {
  intentLabel,
  renderAcknowledgement,
  type AcknowledgementTemplates,
  type ConfidenceComponents,
  type TriageOutcome,
} from '../../../../libs/domain';
import type { TicketView } from '../../../../libs/persistence';
import { sanitizeCustomerHtml } from './customer-html';

/** Display names of the people in a ticket's audit trail and claim, by user id. */
export type ActorNames = ReadonlyMap<string, string>;

/** What the briefing needs to preview the customer's acknowledgement at handoff. */
export interface AcknowledgementSettings {
  /** 0: acknowledgements are off. */
  delaySeconds: number;
  templates: AcknowledgementTemplates;
  storeName: string;
  signature: string;
  /** The zone the reply deadline is told in (the SLA calendar's). */
  timeZone: string;
}

/** The ticket as the API shows it: status, decision, briefing, thread (customer HTML sanitized) and audit trail. */
export function presentTicket(
  { ticket, messages, audit, attachments }: TicketView,
  names: ActorNames = new Map(),
  acknowledgements?: AcknowledgementSettings,
) {
  const triage = ticket.triage;
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? (id === 'system' ? 'Seamline' : id)));
  return {
    ticketId: ticket.id,
    workflowId: ticket.workflowId,
    status: ticket.status,
    route: ticket.route,
    queue: ticket.queue,
    priority: ticket.priority,
    claimedBy: ticket.claimedBy,
    claimedByName: nameOf(ticket.claimedBy),
    escalated: ticket.escalated,
    sla: { state: ticket.slaState, deadline: ticket.slaDeadline?.toISOString() ?? null },
    parentTicketId: ticket.parentTicketId,
    linkReason: ticket.linkReason,
    subject: ticket.subject,
    customerEmail: ticket.customerEmail,
    confidence: triage ? triage.confidence : null,
    draft: triage?.draft
      ? {
          version: triage.draft.version,
          subject: triage.draft.subject,
          body: triage.draft.body,
          selfCheck: triage.draft.selfCheck,
        }
      : null,
    draftVersion: ticket.draftVersion,
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
    briefing: triage ? briefingOf(triage) : null,
    acknowledgement: acknowledgementOf({ ticket, messages, audit, attachments }, acknowledgements),
    thread: messages.map((m) => ({
      messageId: m.messageId,
      direction: m.direction,
      kind: m.kind,
      from: m.direction === 'inbound' ? { email: m.fromEmail, name: m.fromName } : null,
      subject: m.subject,
      text: m.bodyText,
      html: m.direction === 'inbound' ? sanitizeCustomerHtml(m.bodyHtml) : null,
      receivedAt: m.receivedAt.toISOString(),
      attachments: attachments
        .filter((a) => a.messageId === m.messageId)
        .map((a) => ({
          id: a.id,
          filename: a.filename,
          contentType: a.contentType,
          size: a.size,
          inline: a.inline,
          available: a.available,
          // Only a kept attachment has content to fetch (with the agent's credentials, on this path).
          path: a.available ? `/api/v1/tickets/${ticket.id}/attachments/${a.id}` : null,
        })),
    })),
    audit: audit.map((a) => ({
      actor: a.actor,
      actorName: nameOf(a.actor),
      action: a.action,
      before: a.before,
      after: a.after,
      at: a.createdAt.toISOString(),
    })),
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    closedAt: ticket.closedAt?.toISOString() ?? null,
  };
}

export type PresentedTicket = ReturnType<typeof presentTicket>;

/**
 * The acknowledgement of the current handoff as the agent sees it: `sent` (with its text), `pending` (a preview of
 * what the customer will read if nobody replies first), or `none` (off, answered, not with a person, or
 * suppressed because the sender's address failed authentication).
 */
function acknowledgementOf(
  { ticket, messages }: TicketView,
  settings: AcknowledgementSettings | undefined,
): { status: 'sent' | 'pending' | 'none'; at: string | null; text: string | null } {
  const lastInbound = messages.filter((m) => m.direction === 'inbound').at(-1);
  const since = messages.filter(
    (m) => m.direction === 'outbound' && lastInbound && m.receivedAt >= lastInbound.receivedAt,
  );
  const sent = since.find((m) => m.kind === 'acknowledgement');
  if (sent) return { status: 'sent', at: sent.receivedAt.toISOString(), text: sent.bodyText };
  const waiting = ticket.status === 'awaiting_review' || ticket.status === 'escalated';
  const replied = since.some((m) => m.kind !== 'acknowledgement');
  if (!settings?.delaySeconds || !waiting || replied || !lastInbound || lastInbound.senderVerified === false) {
    return { status: 'none', at: null, text: null };
  }
  const text = renderAcknowledgement(settings.templates, ticket.queue, {
    ticketId: ticket.id,
    customerName: lastInbound.fromName,
    storeName: settings.storeName,
    signature: settings.signature,
    expectedBy: ticket.slaDeadline,
    timeZone: settings.timeZone,
  });
  return { status: 'pending', at: null, text };
}

/** What an agent reads first: the summary, what the customer wants and feels, and why the machine is (un)sure. */
function briefingOf(triage: TriageOutcome) {
  const { classification, confidence, decision, draft, order } = triage;
  return {
    summary: decision.explanation,
    primaryIntent: classification.primaryIntent,
    primaryIntentLabel: intentLabel(classification.primaryIntent),
    intents: classification.intents.map((i) => ({ ...i, label: intentLabel(i.intent) })),
    sentimentFlags: sentimentFlags(triage),
    suggestedOpening: suggestedOpening(triage),
    confidence: {
      score: confidence.score,
      inWords: `${band(confidence.score).word} (${Math.round(confidence.score * 100)} %)`,
      components: (Object.keys(COMPONENT_WORDS) as (keyof ConfidenceComponents)[]).map((key) => {
        const score = confidence.components[key];
        const words = COMPONENT_WORDS[key];
        return {
          key,
          label: words.label,
          score,
          meaning: score >= 0.7 ? words.high : score >= 0.4 ? words.mid : words.low,
        };
      }),
      concerns: confidence.concerns,
    },
    reasons: decision.reasons,
    routing: {
      route: decision.route,
      queue: decision.queue,
      priority: decision.priority,
      policyVersion: decision.policyVersion,
    },
    orderFound: order !== null,
    draftSelfCheckPassed: draft?.selfCheck.passed ?? null,
  };
}

function band(score: number): { word: string } {
  if (score >= 0.8) return { word: 'High confidence' };
  if (score >= 0.5) return { word: 'Moderate confidence' };
  return { word: 'Low confidence' };
}

const COMPONENT_WORDS: Record<keyof ConfidenceComponents, { label: string; high: string; mid: string; low: string }> = {
  classification: {
    label: 'Understanding the request',
    high: 'It is clear what the customer wants.',
    mid: 'What the customer wants is fairly clear, but check the message.',
    low: 'It is unclear what the customer wants; read the message closely.',
  },
  dataCompleteness: {
    label: 'Facts available',
    high: 'The order and the facts the reply needs were found.',
    mid: 'Some facts the reply needs are missing.',
    low: 'The order or key facts were not found; the draft cannot rely on them.',
  },
  draftSelfCheck: {
    label: 'Draft self-check',
    high: 'The draft passed its checks for wrong facts and promises.',
    mid: 'The draft raised minor findings in its self-check.',
    low: 'The draft failed its self-check; do not send it unedited.',
  },
  multiIssue: {
    label: 'One issue or several',
    high: 'The message is about one thing.',
    mid: 'The message touches more than one topic.',
    low: 'The message asks several things; make sure the reply covers each.',
  },
  sentiment: {
    label: 'Customer mood',
    high: 'The customer sounds calm.',
    mid: 'The customer sounds somewhat unhappy.',
    low: 'The customer is upset; acknowledge it first.',
  },
};

const FLAG_WORDS: Record<string, string> = {
  health_safety: 'Asks about health or safety',
  prompt_injection: 'Text tries to instruct the system (ignored)',
  hidden_text_removed: 'Hidden text was removed before scoring',
  customer_claims_vip: 'Claims VIP status (not verified)',
  truncated: 'Long message: only the beginning was scored',
};

function sentimentFlags({ classification }: TriageOutcome): { code: string; label: string; evidence: string[] }[] {
  const { sentiment } = classification;
  const flags: { code: string; label: string; evidence: string[] }[] = [];
  if (sentiment.frustration) flags.push({ code: 'frustration', label: 'Frustrated', evidence: sentiment.evidence });
  if (sentiment.urgency) flags.push({ code: 'urgency', label: 'Urgent', evidence: sentiment.evidence });
  if (sentiment.score <= -0.3 && !sentiment.frustration)
    flags.push({ code: 'negative', label: 'Negative tone', evidence: sentiment.evidence });
  for (const flag of classification.flags ?? [])
    flags.push({ code: flag, label: FLAG_WORDS[flag] ?? flag, evidence: [] });
  return flags;
}

/** A first line for the reply: the draft's opening, or one shaped by what the customer wants and feels. */
function suggestedOpening({ classification, draft, order }: TriageOutcome): string {
  const name = order?.customer.name.split(/\s+/)[0];
  const hello = name ? `Hi ${name},` : 'Hello,';
  const topic = intentLabel(classification.primaryIntent);
  if (classification.sentiment.frustration || classification.sentiment.score <= -0.3) {
    return `${hello} I'm sorry about the trouble with your ${topic} — I'm looking into it personally.`;
  }
  const lines = (draft?.body ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const greeting =
    lines[0] && /^(hi|hello|dear|hey|good (morning|afternoon|evening))\b/i.test(lines[0]) ? lines.shift() : undefined;
  const first = lines[0]?.match(/^.*?[.!?](\s|$)/)?.[0]?.trim() ?? lines[0];
  if (first) return `${greeting ?? hello} ${first}`;
  return `${hello} thank you for getting in touch about your ${topic}.`;
}
