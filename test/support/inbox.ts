/**
 * Helpers of the inbox, authorization and browser tests: a database of their own (so the inbox holds only their
 * tickets), customers with orders, messages in, and tickets placed in a chosen queue through the real workflow.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { Queue } from '../../libs/domain';
import type { RunningApps } from './apps';
import { insertCustomerWithOrder } from './db';
import { eventually } from './eventually';
import type { Json } from './http';
import { testEnv } from './stack';

const MIGRATE = join(__dirname, '..', '..', 'dist', 'libs', 'persistence', 'src', 'migrate.js');

export interface IsolatedDatabase {
  url: string;
  client: Client;
  drop(): Promise<void>;
}

/** A fresh, migrated database in the test PostgreSQL: the apps started on it see only this test's tickets. */
export async function isolatedDatabase(prefix: string): Promise<IsolatedDatabase> {
  const base = new URL(testEnv().databaseUrl);
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  await promisify(execFile)(process.execPath, [MIGRATE], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString() },
  });
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    url: url.toString(),
    client,
    async drop() {
      await client.end().catch(() => {});
      const cleanup = new Client({ connectionString: base.toString() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await cleanup.end();
    },
  };
}

export interface MessageOptions {
  subject?: string;
  text?: string;
  html?: string;
  withOrder?: boolean;
}

/** A customer (with an order) and a return request from them: a message the workflow routes to a person. */
export async function customerMessage(db: Client, options: MessageOptions = {}) {
  const email = `casey.${randomUUID()}@example.com`;
  const orderNumber = `SL-${Math.floor(Math.random() * 1e8)}`;
  if (options.withOrder !== false) await insertCustomerWithOrder(db, { email, orderNumber });
  return {
    email,
    orderNumber,
    body: {
      messageId: `<${randomUUID()}@mail.example.com>`,
      from: { email, name: 'Casey Example' },
      subject: options.subject ?? `Return for my order ${orderNumber}`,
      text:
        options.text ??
        `Hi, the T-shirts from order ${orderNumber} are too small and I would like to return them. How do I send them back?`,
      ...(options.html ? { html: options.html } : {}),
      orderNumber,
    },
  };
}

export async function api(
  apps: RunningApps,
  path: string,
  headers: Record<string, string>,
  init: { method?: string; body?: unknown } = {},
) {
  return fetch(`${apps.baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

/** Ingests a message and waits until its ticket waits for a person; answers the ticket as a supervisor sees it. */
export async function ticketAwaitingAgent(
  apps: RunningApps,
  ingestHeaders: Record<string, string>,
  supervisorHeaders: Record<string, string>,
  message: { body: Record<string, unknown> },
): Promise<Json> {
  const res = await api(apps, '/tickets', ingestHeaders, { body: message.body });
  if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  const { ticketId } = (await res.json()) as { ticketId: string };
  return eventually(async () => {
    const ticket = (await (await api(apps, `/tickets/${ticketId}`, supervisorHeaders)).json()) as Json;
    expect(['awaiting_review', 'escalated']).toContain(ticket.status);
    expect(ticket.sla.deadline).not.toBeNull();
    return ticket;
  }, 45_000);
}

/** Moves a waiting ticket into `queue` (a supervisor's reassign Update) unless it is there already. */
export async function placeInQueue(
  apps: RunningApps,
  supervisorHeaders: Record<string, string>,
  ticket: Json,
  queue: Queue,
): Promise<Json> {
  if (ticket.queue !== queue) {
    const res = await api(apps, `/tickets/${ticket.ticketId}/actions/reassign`, supervisorHeaders, {
      body: { queue, reason: 'test setup' },
    });
    if (res.status !== 200) throw new Error(`reassign answered ${res.status}: ${await res.text()}`);
  }
  return eventually(async () => {
    const current = (await (await api(apps, `/tickets/${ticket.ticketId}`, supervisorHeaders)).json()) as Json;
    expect(current.queue).toBe(queue);
    expect(current.sla.deadline).not.toBeNull();
    return current;
  }, 30_000);
}
