import { Client, Connection } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Pool, type Client as PgClient } from 'pg';
import { SmtpSink } from '../../../libs/integrations';
import { stateQuery, ticketWorkflowId } from '../../../workflows/ticket/ticket.messages';
import { TicketSearchAttributes } from '../../../workflows/ticket/ticket.search-attributes';
import { createIngestKey, createTestUser, type RunningApps } from '../../support/apps';
import { insertCustomerWithOrder } from '../../support/db';
import { quickSlaConfig } from '../../support/sla';

/* eslint-disable @typescript-eslint/no-require-imports */
type LogFn = (line: string) => void;
export interface ClusterApp {
  name: string;
  kind: 'worker' | 'api';
  healthUrl: string;
  baseUrl: string | null;
  env: Record<string, string>;
  isRunning(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
  recentOutput(): string;
}
export interface TemporalNode {
  name: string;
  address: string;
  metricsUrl: string;
  isRunning(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): Promise<void>;
}
export interface ClusterStack {
  databaseUrl: string;
  temporalAddress: string;
  temporal: {
    address: string;
    nodes: TemporalNode[];
    connections: Record<string, number>;
    members(): Promise<{ role: string; port: number }[]>;
    waitForMembership(node: TemporalNode): Promise<void>;
  };
  workers: ClusterApp[];
  apis: ClusterApp[];
  appEnv: Record<string, string>;
  stop(): Promise<void>;
}
export const { startClusterStack } = require('../../../scripts/cluster') as {
  startClusterStack(options: {
    nodes?: number;
    workers?: number;
    apis?: number;
    env?: Record<string, string>;
    databaseUrl?: string;
    logDir?: string;
    log?: LogFn;
  }): Promise<ClusterStack>;
};
export const { scrapeCounter } = require('../../../scripts/lib/temporal-server') as {
  scrapeCounter(metricsUrl: string, metric: string, labels?: Record<string, string>): Promise<number>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export const LOG_DIR = join(__dirname, '..', '..', '..', 'test-output', 'cluster');

/**
 * SLA targets of the cluster runs: a warning at half, a breach at the deadline, so levels fire during a run when
 * approvals lag. The ladder's last level (hand the ticket to the supervisor on duty) comes only after the run:
 * a ticket held by another supervisor is no longer this run's supervisor's to approve.
 */
export const CLUSTER_SLA_SECONDS = 12;
const SUPERVISOR_AFTER_SECONDS = 3600;

/** Settings of the apps in a cluster run: a short undo window and SLA targets of seconds, so levels fire during the run. */
export function clusterAppEnv(smtpPort: number): Record<string, string> {
  return {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    AUTO_SEND_UNDO_SECONDS: '2',
    RECONCILE_INTERVAL_SECONDS: '0',
    SLA_CONFIG: JSON.stringify(quickSlaConfig(CLUSTER_SLA_SECONDS, ['first_reply'], SUPERVISOR_AFTER_SECONDS)),
  };
}

const TEXTS = [
  (o: string) => `Hi, where is my order ${o}? Thanks!`,
  (o: string) => `Hello, I would like to return the shirt from order ${o}, it is too small. How do I send it back?`,
  (o: string) => `My package ${o} arrived damaged, the box was crushed. What can you do?`,
  (o: string) => `Please cancel order ${o}, I ordered it by mistake.`,
];

export interface PostedTicket {
  ticketId: string;
  email: string;
  postedAt: number;
  via: string;
}

/**
 * Customers, agents and checks over a cluster stack: tickets posted to whichever API instances run (a refused
 * connection moves on to the next one, as a load balancer would), approvals by a supervisor with an
 * Idempotency-Key (so a retry after a lost answer is the same Update), and the invariants afterwards.
 */
export class ClusterScenario {
  readonly tickets: PostedTicket[] = [];
  /** Tickets whose approval the API accepted (200), by ticket id. */
  readonly approved = new Set<string>();
  /** A pool: the approvals, the customers' inserts and the checks query at the same time. */
  private readonly pool: Pool;
  private ingest: Record<string, string> = {};
  private supervisor: Record<string, string> = {};
  private temporalConnection?: Connection;
  private next = 0;
  private approving = false;
  private approvalLoop?: Promise<void>;
  errors: string[] = [];

  constructor(
    readonly stack: ClusterStack,
    readonly sink: SmtpSink,
  ) {
    this.pool = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  }

  /** The pool, typed as the client the shared test helpers take (the same query API). */
  get db(): PgClient {
    return this.pool as unknown as PgClient;
  }

  async open(): Promise<void> {
    const asApps = {
      baseUrl: this.api().baseUrl,
      env: { DATABASE_URL: this.stack.databaseUrl },
    } as unknown as RunningApps;
    this.ingest = await createIngestKey(asApps);
    this.supervisor = (await createTestUser(asApps, 'supervisor')).headers;
  }

  async close(): Promise<void> {
    this.approving = false;
    await this.approvalLoop;
    await this.temporalConnection?.close();
    await this.pool.end();
  }

  /** The next running API instance, in turn. */
  api(): ClusterApp & { baseUrl: string } {
    const apis = this.stack.apis;
    for (let i = 0; i < apis.length; i++) {
      const api = apis[(this.next + i) % apis.length] as ClusterApp;
      if (api.isRunning()) {
        this.next = (this.next + i + 1) % apis.length;
        return api as ClusterApp & { baseUrl: string };
      }
    }
    throw new Error('no API instance is running');
  }

  /** A request to a running API; a refused or dropped connection, or a 5xx, tries the next one (bounded). */
  async request(path: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
    let last: unknown;
    for (let attempt = 0; attempt < 20; attempt++) {
      const api = this.api();
      try {
        const res = await fetch(`${api.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
        if (res.status < 500) return res;
        last = new Error(`${api.name} answered ${res.status}: ${await res.text()}`);
      } catch (error) {
        last = error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * Math.min(attempt + 1, 4)));
    }
    throw last instanceof Error ? last : new Error(String(last));
  }

  /** A new customer with an order, and their message posted to the API. */
  async postTicket(index: number): Promise<PostedTicket> {
    const email = `cluster.${index}.${randomUUID()}@example.com`;
    const orderNumber = `SL-C${index}-${Math.floor(Math.random() * 1e6)}`;
    await insertCustomerWithOrder(this.db, { email, orderNumber });
    const text = (TEXTS[index % TEXTS.length] as (o: string) => string)(orderNumber);
    const postedAt = Date.now();
    const api = this.stack.apis[this.next % this.stack.apis.length]?.name ?? '?';
    const res = await this.request('/tickets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.ingest },
      body: JSON.stringify({
        messageId: `<cluster-${index}-${randomUUID()}@example.com>`,
        from: { email },
        subject: 'Order question',
        text,
        orderNumber,
      }),
    });
    if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    const { ticketId } = (await res.json()) as { ticketId: string };
    const ticket = { ticketId, email, postedAt, via: api };
    this.tickets.push(ticket);
    return ticket;
  }

  /** Posts `count` tickets at `perSecond`, one every 1/perSecond s (not all at once); resolves when all are posted. */
  async postAtRate(count: number, perSecond: number, onPosted?: (t: PostedTicket) => void): Promise<void> {
    const started = Date.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const index = this.tickets.length + inFlight.length;
      inFlight.push(
        this.postTicket(index).then(
          (t) => onPosted?.(t),
          (error: unknown) => void this.errors.push(`post ${index}: ${(error as Error).message}`),
        ),
      );
    }
    await Promise.all(inFlight);
  }

  /** A supervisor approves every ticket waiting for review or escalated, until stopped. */
  startApproving(): void {
    this.approving = true;
    this.approvalLoop = (async () => {
      while (this.approving) {
        await this.approveWaiting().catch((error: unknown) => void this.errors.push(`approve: ${String(error)}`));
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    })();
  }

  async stopApproving(): Promise<void> {
    this.approving = false;
    await this.approvalLoop;
  }

  /** One round: every waiting ticket of this run, approved at its current draft version. */
  async approveWaiting(): Promise<number> {
    const ids = this.tickets.map((t) => t.ticketId).filter((id) => !this.approved.has(id));
    if (ids.length === 0) return 0;
    const { rows } = await this.db.query<{ id: string; draft_version: number }>(
      `SELECT id, draft_version FROM tickets WHERE id = ANY($1::uuid[]) AND status IN ('awaiting_review', 'escalated')`,
      [ids],
    );
    // A few agents at once: approvals keep up with the arrivals.
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let row = queue.shift(); row; row = queue.shift()) await this.approve(row);
      }),
    );
    return rows.length;
  }

  private async approve(row: { id: string; draft_version: number }): Promise<void> {
    const res = await this.request(`/tickets/${row.id}/actions/approve`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': `approve-${row.id}-${row.draft_version}`,
        ...this.supervisor,
      },
      body: JSON.stringify({ draftVersion: row.draft_version }),
    });
    if (res.status === 200) this.approved.add(row.id);
    else await res.text(); // 409/422: the ticket moved on (an SLA level, a newer draft); the next round sees it
  }

  /** Ticket rows of this run from the read model. */
  async readModel(): Promise<
    { id: string; status: string; route: string | null; state_seq: string; draft_version: number; created_at: Date }[]
  > {
    const { rows } = await this.db.query(
      `SELECT id, status, route, state_seq, draft_version, created_at FROM tickets WHERE id = ANY($1::uuid[])`,
      [this.tickets.map((t) => t.ticketId)],
    );
    return rows;
  }

  mailsTo(email: string): number {
    return this.sink.received.filter((m) => m.to.includes(email)).length;
  }

  /** Every sla_escalation and sla_breach of this run, with the time it was due (from the clock start in its key). */
  async slaFirings(): Promise<{ ticketId: string; level: string; dueAt: number; firedAt: number; wroteAt: number }[]> {
    const { rows } = await this.db.query<{
      ticket_id: string;
      key: string;
      action: string;
      after: Record<string, unknown>;
      created_at: Date;
    }>(
      `SELECT ticket_id, key, action, after, created_at FROM ticket_audit
        WHERE ticket_id = ANY($1::uuid[]) AND action IN ('sla_escalation', 'sla_breach')`,
      [this.tickets.map((t) => t.ticketId)],
    );
    const offsetSeconds: Record<string, number> = {
      warn: CLUSTER_SLA_SECONDS / 2,
      breach: CLUSTER_SLA_SECONDS,
      breach_plus: CLUSTER_SLA_SECONDS + SUPERVISOR_AFTER_SECONDS,
    };
    return rows.map((row) => {
      if (row.action === 'sla_breach') {
        return {
          ticketId: row.ticket_id,
          level: 'sla_breach',
          dueAt: Date.parse(String(row.after.deadline)),
          firedAt: Date.parse(String(row.after.breachedAt)),
          wroteAt: row.created_at.getTime(),
        };
      }
      // key: ticket:<id>:sla:<metric>:<clock start>:<level>
      const match = /^ticket:[^:]+:sla:[^:]+:(.+):([^:]+)$/.exec(row.key);
      const level = String(row.after.level);
      const start = match ? Date.parse(match[1] as string) : NaN;
      return {
        ticketId: row.ticket_id,
        level,
        dueAt: start + (offsetSeconds[level] ?? NaN) * 1000,
        firedAt: Date.parse(String(row.after.firedAt)),
        wroteAt: row.created_at.getTime(),
      };
    });
  }

  /**
   * The read model against each workflow: its status against the workflow's TicketStatus search attribute (set
   * by the same transition, read from the workflow's mutable state by a describe: no worker involved), and for a
   * sample, status and sequence against the workflow's own Query. Queries go to the worker that has the workflow
   * cached; after a worker was killed they wait out the sticky queue's timeout first, so all of them would be slow.
   */
  async divergences(sample = 20): Promise<string[]> {
    this.temporalConnection ??= await Connection.connect({ address: this.stack.temporalAddress });
    const client = new Client({ connection: this.temporalConnection });
    const rows = new Map((await this.readModel()).map((r) => [r.id, r]));
    const problems: string[] = [];
    const queue = this.tickets.map((t, i) => ({
      ticketId: t.ticketId,
      query: i % Math.ceil(this.tickets.length / sample) === 0,
    }));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const row = rows.get(item.ticketId);
          const handle = client.workflow.getHandle(ticketWorkflowId(item.ticketId));
          if (!row) {
            problems.push(`${item.ticketId}: no read-model row`);
            continue;
          }
          const described = await handle.describe();
          const status = described.typedSearchAttributes.get(TicketSearchAttributes.status);
          if (status !== row.status) problems.push(`${item.ticketId}: read model ${row.status}, workflow ${status}`);
          if (!item.query) continue;
          const state = await handle.query(stateQuery);
          if (row.status !== state.status || Number(row.state_seq) !== state.seq) {
            problems.push(
              `${item.ticketId}: read model ${row.status}#${row.state_seq}, workflow ${state.status}#${state.seq}`,
            );
          }
        }
      }),
    );
    return problems;
  }
}

/** An SMTP sink for the run's replies. */
export async function startSink(): Promise<{ sink: SmtpSink; port: number }> {
  const sink = new SmtpSink();
  const port = await sink.listen(0);
  return { sink, port };
}
