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

export interface ThreadMessage {
  messageId: string;
  direction: 'inbound' | 'outbound';
  from: { email: string; name: string | null } | null;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
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
