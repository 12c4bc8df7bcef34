/**
 * What one chaos run did, as the clients saw it: every customer message and its answer, every agent decision and
 * its answer, every fault with its start and end. The invariants compare this, the database, the SMTP sink, the
 * webhook receiver and Temporal after the run.
 */

export const FAULT_KINDS = [
  'workerKill',
  'temporalRestart',
  'postgresRestart',
  'smtp4xx',
  'smtp5xx',
  'smtpSlow',
  'webhookFail',
  'webhookHang',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultCounts = Record<FaultKind, number>;

export const INVARIANTS = {
  I1: 'every acknowledged inbound message is stored and belongs to exactly one ticket, its sender’s',
  I2: 'at most one outbound message per approval, and every approval is delivered or back with an agent',
  I3: 'every state change has an audit row',
  I4: 'no SLA level fires early, and none later than 60 s after the infrastructure recovers',
  I5: 'the read model equals the workflow state within 30 s after faults stop',
  I6: 'every outbound message goes only to its ticket’s customer',
  I7: 'no response carries another customer’s ticket id or data',
} as const;
export type InvariantId = keyof typeof INVARIANTS;

export interface Violation {
  invariant: InvariantId;
  detail: string;
}

/** One HTTP exchange; `status` null: no answer (timeout, refused connection). */
export interface Exchange {
  status: number | null;
  body: string;
  at: number;
}

export type MessageKind = 'new' | 'follow-up' | 'duplicate' | 'stranger' | 'spoofed' | 'oversized' | 'conflict';

export interface SentMessage extends Exchange {
  kind: MessageKind;
  channel: 'api' | 'mime';
  messageId: string;
  /** The sender as the message says (for a spoofed From: the address it pretends to be). */
  from: string;
  /** Unique text in the subject, to find the stored raw mail. */
  token: string;
  /** What was posted (JSON text or raw MIME), so a duplicate repeats it byte for byte. */
  request: string;
  /** Same messageId, same sender and content as an earlier message: a retry. */
  repeatOf?: string;
  ticketId?: string;
}

export type DecisionAction = 'claim' | 'approve' | 'edit' | 'reject' | 'reassign';

export interface SentDecision extends Exchange {
  ticketId: string;
  action: DecisionAction;
  userId: string;
  /** The Idempotency-Key sent, if any. */
  key?: string;
  /** reject with a reply sends it; without one it closes the ticket. */
  withReply: boolean;
}

export interface FaultWindow {
  kind: FaultKind;
  startedAt: number;
  endedAt: number | null;
}

export interface Customer {
  email: string;
  orderNumber: string;
}

/** The model of one run: what was done, and the run's own customers (nobody else writes as them). */
export class RunRecord {
  readonly startedAt = Date.now();
  readonly messages: SentMessage[] = [];
  readonly decisions: SentDecision[] = [];
  readonly faults: FaultWindow[] = [];
  /** Tickets whose workflow the run terminated (the loss reconciliation repairs), with when. */
  readonly terminated: { ticketId: string; at: number }[] = [];
  readonly customers: Customer[];
  readonly stranger: string;
  commands = 0;
  recoveredAt = 0;
  /** Outages still running in the background (a restart after its pause), one per resource. */
  readonly outages = new Map<'worker' | 'temporal' | 'postgres', Promise<void>>();
  /** Timers that end SMTP and webhook faults. */
  readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly index: number,
    readonly tag: string,
  ) {
    this.customers = [0, 1, 2].map((i) => ({
      email: `chaos.${tag}.c${i}@example.com`,
      orderNumber: `SL-${7_000_000 + index * 10 + i}`,
    }));
    this.stranger = `stranger.${tag}@evil.test`;
  }

  /** Every address the run wrote as. */
  addresses(): string[] {
    return [...this.customers.map((c) => c.email), this.stranger];
  }

  /** Tickets the API named in its 2xx answers to this run's messages, in order of first appearance. */
  ticketIds(): string[] {
    const ids: string[] = [];
    for (const m of this.messages) if (m.ticketId && !ids.includes(m.ticketId)) ids.push(m.ticketId);
    return ids;
  }

  /** Acknowledged messages (2xx) that were taken as ticket messages, not quarantined. */
  acknowledged(): SentMessage[] {
    return this.messages.filter((m) => m.status !== null && m.status >= 200 && m.status < 300 && m.status !== 202);
  }

  faultCounts(): FaultCounts {
    const counts = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts;
    for (const f of this.faults) counts[f.kind] += 1;
    return counts;
  }

  /** When the last fault of these kinds ended (0: none). */
  lastFaultEnd(kinds: readonly FaultKind[] = FAULT_KINDS): number {
    let end = 0;
    for (const f of this.faults) if (kinds.includes(f.kind)) end = Math.max(end, f.endedAt ?? Date.now());
    return end;
  }
}
