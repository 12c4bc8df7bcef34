import type { Priority } from './types';

/** "due in 2h 05m", "overdue by 12m": the SLA countdown in the words an agent scans for. */
export function countdown(
  deadline: string | null,
  now: number,
): { text: string; tone: 'calm' | 'soon' | 'late' | 'none' } {
  if (!deadline) return { text: 'no deadline yet', tone: 'none' };
  const ms = Date.parse(deadline) - now;
  const span = duration(Math.abs(ms));
  if (ms < 0) return { text: `overdue by ${span}`, tone: 'late' };
  return { text: `due in ${span}`, tone: ms < 30 * 60_000 ? 'soon' : 'calm' };
}

export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s % 60}s`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function money(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

/** "812 B", "14 KB", "2.3 MB". */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function percent(score: number | null): string {
  return score === null ? '—' : `${Math.round(score * 100)} %`;
}

export const PRIORITY_RANK: Record<Priority, number> = { low: 0, normal: 1, high: 2, urgent: 3 };

export function words(code: string): string {
  return code.replace(/_/g, ' ');
}

/** Plain words for the API's stable error codes. */
export function explainError(code: string, fallback: string): string {
  const messages: Record<string, string> = {
    STALE_DRAFT_VERSION:
      'The draft changed (for example, the customer wrote again). The ticket was reloaded — review the new draft.',
    TICKET_NOT_AWAITING_REVIEW: 'This ticket is not waiting for a decision any more.',
    TICKET_CLOSED: 'This ticket is already closed.',
    TICKET_CLAIMED_BY_OTHER: 'Another agent holds this ticket. A supervisor can take it over.',
    NO_AUTO_SEND_PENDING: 'There is no automatic reply waiting to be cancelled.',
    INVALID_DECISION: fallback,
    VALIDATION_FAILED: `Check the form: ${fallback}`,
    TICKET_NOT_FOUND: 'Ticket not found — it does not exist or is not in your queues.',
    RATE_LIMITED: 'Too many actions in a short time. Wait a moment and try again.',
    WORKFLOW_UNAVAILABLE: 'The ticket service is busy. Try again in a moment.',
    NETWORK: fallback,
    ATTACHMENT_NOT_FOUND: 'This attachment is not available (any more).',
    QUARANTINE_ENTRY_NOT_FOUND: 'This quarantined message no longer exists.',
    QUARANTINE_ALREADY_RESOLVED: 'Someone already released or discarded this message. The list was reloaded.',
    QUARANTINE_NOT_RELEASABLE: `This message cannot be released: ${fallback}. Discard it instead.`,
    FORBIDDEN: 'Only supervisors can do this.',
    NO_ROUTED_DRAFT: 'This ticket has no routed draft yet; its intent can be corrected once it is triaged.',
    INTENT_NOT_FOUND: 'This intent cannot earn automatic sending, so it has no controls.',
  };
  return messages[code] ?? fallback;
}
