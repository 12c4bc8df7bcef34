/**
 * The customer's acknowledgement when a ticket goes to a person: the store's own words (a template per queue),
 * that a person has the request, when to expect an answer, and the ticket reference. Only the facts below reach
 * the template: never the AI's draft, the escalation reason or any internal wording.
 */
import { DateTime } from 'luxon';
import type { Queue } from '../triage/triage.types';
import { ticketToken } from './mail-threading';

export interface AcknowledgementFacts {
  ticketId: string;
  customerName: string | null;
  storeName: string;
  signature: string;
  /** When the reply is due by the ticket's SLA (first or next reply); null when no target applies. */
  expectedBy: Date | null;
  /** The SLA calendar's time zone, so the promise reads in the store's hours ("Monday 10:00"). */
  timeZone: string;
}

/** Templates by queue, with `default` for the rest. Placeholders: see ACKNOWLEDGEMENT_PLACEHOLDERS. */
export type AcknowledgementTemplates = Partial<Record<Queue, string>> & { default: string };

export const ACKNOWLEDGEMENT_PLACEHOLDERS = [
  'customerName',
  'storeName',
  'expectedBy',
  'ticketRef',
  'signature',
] as const;

export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATES: AcknowledgementTemplates = {
  default:
    'Hello {customerName},\n\nthank you for your message. A member of our team has your request and will reply ' +
    '{expectedBy}. You do not need to write again; simply reply to this e-mail if you have anything to add.\n\n' +
    'Your reference: {ticketRef}\n\n{signature}',
  risk:
    'Hello {customerName},\n\nthank you for your message. A specialist on our team has your request and will ' +
    'reply {expectedBy}.\n\nYour reference: {ticketRef}\n\n{signature}',
};

/** Unknown placeholders in a template (config validation names them). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(ACKNOWLEDGEMENT_PLACEHOLDERS);
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).filter((name) => !known.has(name));
}

/** The acknowledgement's text for a ticket in `queue`. */
export function renderAcknowledgement(
  templates: AcknowledgementTemplates,
  queue: Queue | null,
  facts: AcknowledgementFacts,
): string {
  const template = (queue && templates[queue]) || templates.default;
  const values: Record<(typeof ACKNOWLEDGEMENT_PLACEHOLDERS)[number], string> = {
    customerName: facts.customerName?.trim() || 'there',
    storeName: facts.storeName,
    expectedBy: expectedByPhrase(facts.expectedBy, facts.timeZone),
    ticketRef: ticketToken(facts.ticketId).slice(2, -1),
    signature: facts.signature,
  };
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? values[name as keyof typeof values] : whole,
  );
}

/** "by Monday, 7 December at 10:00 (New York time)", in the SLA calendar's zone; "as soon as we can" without one. */
export function expectedByPhrase(deadline: Date | null, timeZone: string): string {
  if (!deadline) return 'as soon as we can';
  const local = DateTime.fromJSDate(deadline, { zone: timeZone });
  const place = timeZone.split('/').pop()?.replace(/_/g, ' ') ?? timeZone;
  return `by ${local.toFormat("cccc, d LLLL 'at' HH:mm")} (${place} time)`;
}
