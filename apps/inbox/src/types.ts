import { INTENT_LABEL } from '../../../libs/domain/intent-labels';
/** The API's shapes, as the inbox reads them (see /docs for the full OpenAPI document). */
export type Queue = 'risk' | 'priority' | 'accessibility' | 'standard' | 'escalations';
export const QUEUES: Queue[] = ['risk', 'priority', 'accessibility', 'standard', 'escalations'];
export type Role = 'agent' | 'supervisor' | 'admin';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface Me {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  queues: Queue[];
  visibleQueues: Queue[];
}

export interface LoginResponse {
  accessToken: string;
  expiresIn: number;
  user: Me;
}

export interface Sla {
  state: 'ok' | 'warning' | 'breached' | 'paused' | 'met';
  deadline: string | null;
}

export interface InboxItem {
  ticketId: string;
  subject: string;
  customerEmail: string;
  status: string;
  route: string | null;
  queue: Queue;
  priority: Priority | null;
  claimedBy: string | null;
  claimedByName: string | null;
  escalated: boolean;
  sla: Sla;
  confidence: number | null;
  primaryIntent: string | null;
  draftVersion: number;
  createdAt: string;
}

export interface InboxPage {
  items: InboxItem[];
  nextCursor: string | null;
  queues: Queue[];
}

export interface QueueCount {
  queue: Queue;
  waiting: number;
  breached: number;
}

export interface Reason {
  code: string;
  detail: string;
  evidence: string[];
}

export interface OrderSnapshot {
  orderNumber: string;
  status: string;
  placedAt: string;
  total: number;
  currency: string;
  lines: { sku: string; name: string; quantity: number; unitPrice: number }[];
  shipments: {
    carrier: string;
    trackingNumber: string;
    status: string;
    items: string[];
    estimatedDelivery: string | null;
    customs?: {
      status: 'held' | 'duties_unpaid' | 'returned' | 'cleared';
      detail: string | null;
      since: string | null;
    } | null;
  }[];
  shippingCountry: string;
  international: boolean;
  customer: { name: string; email: string; vip: boolean; recentContacts: number };
}

export interface Briefing {
  summary: string;
  primaryIntent: string;
  primaryIntentLabel: string;
  intents: { intent: string; label: string; confidence: number; evidence: string[] }[];
  sentimentFlags: { code: string; label: string; evidence: string[] }[];
  suggestedOpening: string;
  confidence: {
    score: number;
    inWords: string;
    components: { key: string; label: string; score: number; meaning: string }[];
    concerns: string[];
  };
  reasons: Reason[];
  routing: { route: string; queue: Queue; priority: Priority; policyVersion: string };
  orderFound: boolean;
  draftSelfCheckPassed: boolean | null;
}

export interface Attachment {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  inline: boolean;
  /** False when the content was not kept (too large, or not stored): listed, not downloadable. */
  available: boolean;
  /** The authenticated download path (Authorization header required), or null. */
  path: string | null;
}

export interface ThreadMessage {
  messageId: string;
  direction: 'inbound' | 'outbound';
  /** `acknowledgement` for the note that a person has the request; absent on older answers. */
  kind?: string;
  from: { email: string; name: string | null } | null;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
  attachments?: Attachment[];
}

/** What the customer hears at handoff: sent (with its text), pending (a preview), or nothing. */
export interface Acknowledgement {
  status: 'sent' | 'pending' | 'none';
  at: string | null;
  text: string | null;
}

export interface AuditEntry {
  actor: string;
  actorName: string | null;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
}

export interface Ticket {
  ticketId: string;
  status: string;
  route: string | null;
  queue: Queue | null;
  priority: Priority | null;
  claimedBy: string | null;
  claimedByName: string | null;
  escalated: boolean;
  sla: Sla;
  subject: string;
  customerEmail: string;
  draft: {
    version: number;
    subject: string;
    body: string;
    selfCheck: { passed: boolean; findings: { code: string; detail: string }[] };
  } | null;
  draftVersion: number;
  order: OrderSnapshot | null;
  briefing: Briefing | null;
  acknowledgement?: Acknowledgement;
  thread: ThreadMessage[];
  audit: AuditEntry[];
  createdAt: string;
  closedAt: string | null;
}

export interface DecisionResult {
  status: string;
  draftVersion: number;
  claimedBy: string | null;
  queue: Queue | null;
}

export interface QuarantineItem {
  id: string;
  reason: string;
  detail: string;
  quarantinedAt: string;
  receivedAt: string;
  channel: string;
  sizeBytes: number;
  deliveries: number;
  messageId: string | null;
  from: string | null;
  subject: string | null;
  envelopeFrom: string | null;
  envelopeTo: string[];
  rawPath: string;
  resolution: 'released' | 'discarded' | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionReason: string | null;
  releasedTicketId: string | null;
}

export interface QuarantinePage {
  items: QuarantineItem[];
  next: string | null;
}

/** Every intent the classifier knows, with the plain label drafts and the briefing use for it (one table). */
export const INTENT_LABELS = INTENT_LABEL;
export type Intent = keyof typeof INTENT_LABELS;
export const INTENTS = Object.keys(INTENT_LABELS) as Intent[];

export function intentLabel(intent: string): string {
  return (INTENT_LABELS as Record<string, string>)[intent] ?? intent.replace(/_/g, ' ');
}

export interface IntentCorrection {
  intent: Intent;
  correctedIntent: Intent;
  draftVersion: number;
}

export type AutonomyMode = 'human' | 'shadow' | 'auto';

export interface IntentAutonomy {
  intent: Intent;
  mode: AutonomyMode;
  threshold: number | null;
  targetRisk: number;
  pinnedHuman: boolean;
  outcomes: number;
  wrong: number;
  upperBound: number | null;
  reason: string;
}

export interface AutonomyView {
  autonomy: 'earned' | 'fixed';
  version: number | null;
  name: string;
  reason: string | null;
  createdAt: string | null;
  settings: { targetRisk: number; minOutcomes: number; maxEditDistance: number; recomputeSeconds: number };
  intents: IntentAutonomy[];
}

export interface AdminAuditEntry {
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}
