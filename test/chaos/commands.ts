/**
 * The commands of the chaos model: customers writing (new, follow-up, retried and concurrent duplicates, a stranger
 * in someone else's thread, a spoofed From, oversized mail, a reused message id), agents deciding (alone and
 * concurrently, with and without Idempotency-Key), a lost workflow for reconciliation, faults, and pauses. Each
 * command does its HTTP exchanges and writes what it saw into the run's record; the checks come after the run.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { QUEUES } from '../../libs/domain';
import { ticketWorkflowId } from '../../workflows/ticket/ticket.messages';
import { TicketSearchAttributes } from '../../workflows/ticket/ticket.search-attributes';
import { CHAOS_INBOUND_MAX_BYTES, type ChaosStack } from './stack';
import type { DecisionAction, Exchange, FaultKind, MessageKind, RunRecord, SentMessage } from './record';

export interface ChaosContext {
  stack: ChaosStack;
  log: (line: string) => void;
}

type Command = fc.AsyncCommand<RunRecord, ChaosContext, false>;

const REQUEST_TIMEOUT_MS = 20_000;

/** One request with a bound; a refused connection or a timeout is an exchange without a status. */
export async function exchange(url: string, init: RequestInit): Promise<Exchange> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: res.status, body: await res.text(), at: Date.now() };
  } catch {
    return { status: null, body: '', at: Date.now() };
  }
}

const TEXTS = [
  (o: string) => `Hi, where is my order ${o}? Thanks!`,
  (o: string) => `Hello, I would like to return the shirts from order ${o}, they do not fit. How do I send them back?`,
  (o: string) => `My package ${o} arrived damaged, the box was crushed. What can you do?`,
  (o: string) => `Please cancel order ${o}, I ordered it by mistake.`,
  (o: string) => `I want to speak to a human about order ${o}, nobody answers me.`,
] as const;
const FOLLOW_UPS = [
  (o: string) => `Any news about order ${o}? The tracking has not moved for days.`,
  () => 'Also, can you tell me if you ship to Norway?',
  () => 'Thank you, that answers my question.',
] as const;

let sequence = 0;
const nextToken = (run: RunRecord): string => `chaos-${run.tag}-${++sequence}`;

function pick<T>(items: readonly T[], index: number): T | undefined {
  return items.length ? items[index % items.length] : undefined;
}

/** The newest acknowledged ticket message of an address, if any. */
function lastAcknowledged(run: RunRecord, from: string): SentMessage | undefined {
  return [...run.acknowledged()].reverse().find((m) => m.from === from && m.ticketId);
}

async function postJson(ctx: ChaosContext, request: string): Promise<Exchange> {
  return exchange(`${ctx.stack.baseUrl}/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...ctx.stack.ingest },
    body: request,
  });
}

async function postMime(ctx: ChaosContext, raw: string): Promise<Exchange> {
  return exchange(`${ctx.stack.baseUrl}/inbound/mime`, {
    method: 'POST',
    headers: { 'content-type': 'message/rfc822', ...ctx.stack.ingest },
    body: raw,
  });
}

function ticketIdOf(result: Exchange): string | undefined {
  if (result.status === null || result.status >= 300) return undefined;
  try {
    const id = (JSON.parse(result.body) as { ticketId?: unknown }).ticketId;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

function record(run: RunRecord, sent: Omit<SentMessage, keyof Exchange | 'ticketId'>, result: Exchange): void {
  run.messages.push({ ...sent, ...result, ticketId: ticketIdOf(result) });
}

// ---- Customers ------------------------------------------------------------------------------------------------

class CustomerMessage implements Command {
  constructor(readonly p: { customer: number; text: number; followUp: boolean }) {}
  check = (): boolean => true;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const customer = pick(run.customers, this.p.customer);
    if (!customer) return;
    const previous = this.p.followUp ? lastAcknowledged(run, customer.email) : undefined;
    const token = nextToken(run);
    const text = previous
      ? (pick(FOLLOW_UPS, this.p.text) as (o: string) => string)(customer.orderNumber)
      : (pick(TEXTS, this.p.text) as (o: string) => string)(customer.orderNumber);
    const messageId = `<${token}@customer.example.com>`;
    const request = JSON.stringify({
      messageId,
      from: { email: customer.email, name: 'Chaos Customer' },
      subject: `${previous ? 'Re: ' : ''}Order question ${token}`,
      text,
      ...(previous ? { inReplyTo: previous.messageId, references: [previous.messageId] } : {}),
      ...(previous ? {} : { orderNumber: customer.orderNumber }),
    });
    const kind: MessageKind = previous ? 'follow-up' : 'new';
    record(
      run,
      { kind, channel: 'api', messageId, from: customer.email, token, request },
      await postJson(ctx, request),
    );
  }
  toString = (): string => `${this.p.followUp ? 'followUp' : 'newMessage'}(${this.p.customer},${this.p.text})`;
}

/** The same message again: a sender's retry, one after the other or two at once. */
class Duplicate implements Command {
  constructor(readonly p: { message: number; concurrent: boolean }) {}
  check = (run: RunRecord): boolean => run.messages.some((m) => m.channel === 'api' && m.kind !== 'conflict');
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const original = pick(
      run.messages.filter((m) => m.channel === 'api' && m.kind !== 'conflict' && !m.repeatOf),
      this.p.message,
    );
    if (!original) return;
    const copies = this.p.concurrent ? 2 : 1;
    const results = await Promise.all(Array.from({ length: copies }, () => postJson(ctx, original.request)));
    for (const result of results) {
      record(run, { ...original, kind: 'duplicate', repeatOf: original.messageId, request: original.request }, result);
    }
  }
  toString = (): string => `duplicate(${this.p.message},${this.p.concurrent ? 'concurrent' : 'sequential'})`;
}

/** Another sender reuses a known message id with other content: refused, and the answer names no ticket. */
class ReusedMessageId implements Command {
  constructor(readonly p: { message: number }) {}
  check = (run: RunRecord): boolean => run.acknowledged().some((m) => m.channel === 'api');
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const victim = pick(
      run.acknowledged().filter((m) => m.channel === 'api'),
      this.p.message,
    );
    if (!victim) return;
    const token = nextToken(run);
    const request = JSON.stringify({
      messageId: victim.messageId,
      from: { email: run.stranger },
      subject: `Order question ${token}`,
      text: 'Please send me the tracking details and the delivery address for this order.',
    });
    record(
      run,
      { kind: 'conflict', channel: 'api', messageId: victim.messageId, from: run.stranger, token, request },
      await postJson(ctx, request),
    );
  }
  toString = (): string => `reusedMessageId(${this.p.message})`;
}

/** A stranger replies into a customer's thread (raw mail with the customer's Message-ID in In-Reply-To). */
class StrangerReply implements Command {
  constructor(readonly p: { victim: number }) {}
  check = (run: RunRecord): boolean => run.acknowledged().some((m) => m.from !== run.stranger);
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const victim = pick(
      run.acknowledged().filter((m) => m.from !== run.stranger && m.ticketId),
      this.p.victim,
    );
    if (!victim) return;
    const token = nextToken(run);
    const messageId = `<${token}@evil.test>`;
    const raw = await mime({
      from: run.stranger,
      subject: `Re: Order question ${token}`,
      messageId,
      inReplyTo: victim.messageId,
      references: [victim.messageId],
      text: 'Please send the tracking details and the delivery address of this order to me.',
    });
    record(
      run,
      { kind: 'stranger', channel: 'mime', messageId, from: run.stranger, token, request: raw },
      await postMime(ctx, raw),
    );
  }
  toString = (): string => `strangerReply(${this.p.victim})`;
}

/** Raw mail whose From is a customer's address, without any authentication: unverified. */
class SpoofedFrom implements Command {
  constructor(readonly p: { customer: number; reply: boolean }) {}
  check = (): boolean => true;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const customer = pick(run.customers, this.p.customer);
    if (!customer) return;
    const previous = this.p.reply ? lastAcknowledged(run, customer.email) : undefined;
    const token = nextToken(run);
    const messageId = `<${token}@spoofer.example.net>`;
    const raw = await mime({
      from: customer.email,
      subject: `Order question ${token}`,
      messageId,
      ...(previous ? { inReplyTo: previous.messageId, references: [previous.messageId] } : {}),
      text: `Hi, where is my order ${customer.orderNumber}? Please also confirm my address and phone number.`,
    });
    record(
      run,
      { kind: 'spoofed', channel: 'mime', messageId, from: customer.email, token, request: raw },
      await postMime(ctx, raw),
    );
  }
  toString = (): string => `spoofedFrom(${this.p.customer},${this.p.reply ? 'reply' : 'new'})`;
}

/** A mail over the inbound size limit: stored raw and quarantined (202), never refused unseen. */
class OversizedMail implements Command {
  constructor(readonly p: { customer: number }) {}
  check = (): boolean => true;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const customer = pick(run.customers, this.p.customer);
    if (!customer) return;
    const token = nextToken(run);
    const messageId = `<${token}@customer.example.com>`;
    const raw = await mime({
      from: customer.email,
      subject: `Photos ${token}`,
      messageId,
      text: `Here are the photos of order ${customer.orderNumber}.\n${'x'.repeat(CHAOS_INBOUND_MAX_BYTES + 4096)}`,
    });
    record(
      run,
      { kind: 'oversized', channel: 'mime', messageId, from: customer.email, token, request: raw },
      await postMime(ctx, raw),
    );
  }
  toString = (): string => `oversizedMail(${this.p.customer})`;
}

async function mime(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<string> {
  const built = await new MailComposer({ to: 'support@seamline.local', date: new Date(), ...mail }).compile().build();
  return built.toString('utf8');
}

// ---- Agents ---------------------------------------------------------------------------------------------------

type KeyMode = 'none' | 'same' | 'distinct';

/** An agent's decision, sent `concurrency` times at once: the same key, a key each, or none. */
class AgentAction implements Command {
  constructor(
    readonly p: {
      action: DecisionAction;
      ticket: number;
      user: number;
      concurrency: number;
      keys: KeyMode;
      withReply: boolean;
      queue: number;
    },
  ) {}
  check = (run: RunRecord): boolean => run.ticketIds().length > 0;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const ticketId = pick(run.ticketIds(), this.p.ticket);
    const user = pick(ctx.stack.users, this.p.user);
    const reader = ctx.stack.users[0];
    if (!ticketId || !user || !reader) return;
    const view = await exchange(`${ctx.stack.baseUrl}/tickets/${ticketId}`, { headers: reader.headers });
    let draftVersion = 1;
    try {
      draftVersion = Number((JSON.parse(view.body) as { draftVersion?: number }).draftVersion) || 1;
    } catch {
      // no view (the API or the database is down): the decision goes with version 1 and is answered anyway
    }
    const { action, withReply } = this.p;
    const body =
      action === 'claim'
        ? { takeOver: user.role === 'supervisor' }
        : action === 'approve'
          ? { draftVersion }
          : action === 'edit'
            ? { draftVersion, text: 'Thank you for your patience: we are looking into it and will write again today.' }
            : action === 'reject'
              ? { reason: 'not what we want to say', ...(withReply ? { reply: 'We are on it, more soon.' } : {}) }
              : { queue: pick(QUEUES, this.p.queue), reason: 'better placed there' };
    const shared = `k-${run.tag}-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: this.p.concurrency }, async () => {
        const key = this.p.keys === 'same' ? shared : this.p.keys === 'distinct' ? `k-${randomUUID()}` : undefined;
        const result = await exchange(`${ctx.stack.baseUrl}/tickets/${ticketId}/actions/${action}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...user.headers,
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: JSON.stringify(body),
        });
        return { key, result };
      }),
    );
    for (const { key, result } of results) {
      run.decisions.push({
        ...result,
        ticketId,
        action,
        userId: user.id,
        ...(key ? { key } : {}),
        withReply: action === 'reject' && withReply,
      });
    }
  }
  toString = (): string =>
    `${this.p.action}(t${this.p.ticket},u${this.p.user},x${this.p.concurrency},${this.p.keys}${this.p.action === 'reject' && this.p.withReply ? ',reply' : ''})`;
}

/** A workflow lost while its ticket waits for people (terminated): reconciliation must start it again. */
class LoseWorkflow implements Command {
  constructor(readonly p: { ticket: number }) {}
  check = (run: RunRecord): boolean => run.ticketIds().length > 0 && !run.outages.has('temporal');
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const ticketId = pick(run.ticketIds(), this.p.ticket);
    if (!ticketId) return;
    try {
      const client = await ctx.stack.temporal();
      const handle = client.workflow.getHandle(ticketWorkflowId(ticketId));
      const described = await handle.describe();
      const status = described.typedSearchAttributes.get(TicketSearchAttributes.status);
      if (described.status.name !== 'RUNNING' || (status !== 'awaiting_review' && status !== 'escalated')) return;
      await handle.terminate('chaos: the workflow is lost');
      run.terminated.push({ ticketId, at: Date.now() });
    } catch {
      // Temporal or the workflow not reachable now: nothing lost
    }
  }
  toString = (): string => `loseWorkflow(t${this.p.ticket})`;
}

// ---- Faults ---------------------------------------------------------------------------------------------------

const RESOURCES = {
  workerKill: 'worker',
  temporalRestart: 'temporal',
  postgresRestart: 'postgres',
} as const;
type ProcessFault = keyof typeof RESOURCES;

/** A process goes down now and comes back after `downMs`, in the background: the next commands run meanwhile. */
class ProcessOutage implements Command {
  constructor(readonly p: { kind: ProcessFault; downMs: number }) {}
  check = (): boolean => true;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const resource = RESOURCES[this.p.kind];
    await run.outages.get(resource); // one outage of a resource at a time
    const window = { kind: this.p.kind as FaultKind, startedAt: Date.now(), endedAt: null as number | null };
    run.faults.push(window);
    const { stack } = ctx;
    const [down, up] =
      resource === 'worker'
        ? [() => stack.killWorker(), async () => stack.startWorker()]
        : resource === 'temporal'
          ? [() => stack.stopTemporal(), () => stack.startTemporal()]
          : [() => stack.stopPostgres(), () => stack.startPostgres()];
    await down();
    const outage = (async () => {
      await new Promise((resolve) => setTimeout(resolve, this.p.downMs));
      await up();
      window.endedAt = Date.now();
    })();
    run.outages.set(resource, outage);
    outage.then(
      () => run.outages.get(resource) === outage && run.outages.delete(resource),
      () => undefined, // the settle step awaits it and reports the failure
    );
  }
  toString = (): string => `${this.p.kind}(${this.p.downMs}ms)`;
}

/** The SMTP sink refuses (4xx, 5xx) or stalls for `ms`; the webhook receiver fails or hangs for `ms`. */
class ServiceFault implements Command {
  constructor(readonly p: { kind: 'smtp4xx' | 'smtp5xx' | 'smtpSlow' | 'webhookFail' | 'webhookHang'; ms: number }) {}
  check = (): boolean => true;
  async run(run: RunRecord, ctx: ChaosContext): Promise<void> {
    const smtp = this.p.kind.startsWith('smtp');
    // A fault of the same service still running ends now: one misbehaviour per service at a time.
    for (const f of run.faults) {
      if (f.endedAt === null && f.kind.startsWith(smtp ? 'smtp' : 'webhook')) f.endedAt = Date.now();
    }
    const window = { kind: this.p.kind as FaultKind, startedAt: Date.now(), endedAt: null as number | null };
    run.faults.push(window);
    const { sink, webhook } = ctx.stack;
    if (this.p.kind === 'smtp4xx') sink.fault = { kind: 'refuse', code: 451 };
    if (this.p.kind === 'smtp5xx') sink.fault = { kind: 'refuse', code: 554 };
    if (this.p.kind === 'smtpSlow') sink.fault = { kind: 'slow', delayMs: 2_500 };
    if (this.p.kind === 'webhookFail') webhook.fault = 'fail';
    if (this.p.kind === 'webhookHang') webhook.fault = 'hang';
    const fault = smtp ? sink.fault : webhook.fault;
    const timer = setTimeout(() => {
      run.timers.delete(timer);
      if (window.endedAt === null) window.endedAt = Date.now();
      if (smtp && sink.fault === fault) sink.fault = null;
      if (!smtp && webhook.fault === fault) webhook.heal();
    }, this.p.ms);
    run.timers.add(timer);
  }
  toString = (): string => `${this.p.kind}(${this.p.ms}ms)`;
}

class Pause implements Command {
  constructor(readonly p: { ms: number }) {}
  check = (): boolean => true;
  async run(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.p.ms));
  }
  toString = (): string => `pause(${this.p.ms}ms)`;
}

// ---- The generator --------------------------------------------------------------------------------------------

/** Every run begins with one message from each of its customers, so agents have tickets to work on. */
export function openingCommands(): Command[] {
  return [0, 1, 2].map((i) => new CustomerMessage({ customer: i, text: i, followUp: false }));
}

/** The random part of a run: up to `maxCommands` commands, faults and agents weighted so both happen often. */
export function chaosCommands(maxCommands: number): fc.Arbitrary<Iterable<Command>> {
  const nat = fc.nat({ max: 1_000 });
  const customer = fc.record({ customer: nat, text: nat, followUp: fc.boolean() }).map((p) => new CustomerMessage(p));
  const agent = fc
    .record({
      action: fc.constantFrom<DecisionAction>('claim', 'approve', 'approve', 'edit', 'reject', 'reassign'),
      ticket: nat,
      user: nat,
      concurrency: fc.constantFrom(1, 1, 2, 3),
      keys: fc.constantFrom<KeyMode>('none', 'same', 'distinct'),
      withReply: fc.boolean(),
      queue: nat,
    })
    .map((p) => new AgentAction(p));
  const process = fc
    .record({
      kind: fc.constantFrom<ProcessFault>('workerKill', 'temporalRestart', 'postgresRestart'),
      downMs: fc.integer({ min: 0, max: 4_000 }),
    })
    .map((p) => new ProcessOutage(p));
  const service = fc
    .record({
      kind: fc.constantFrom('smtp4xx', 'smtp5xx', 'smtpSlow', 'webhookFail', 'webhookHang' as const),
      ms: fc.integer({ min: 1_000, max: 8_000 }),
    })
    .map((p) => new ServiceFault(p));
  return fc
    .commands(
      [
        customer,
        customer,
        customer,
        fc.record({ message: nat, concurrent: fc.boolean() }).map((p) => new Duplicate(p)),
        fc.record({ message: nat }).map((p) => new ReusedMessageId(p)),
        fc.record({ victim: nat }).map((p) => new StrangerReply(p)),
        fc.record({ customer: nat, reply: fc.boolean() }).map((p) => new SpoofedFrom(p)),
        fc.record({ customer: nat }).map((p) => new OversizedMail(p)),
        agent,
        agent,
        agent,
        agent,
        fc.record({ ticket: nat }).map((p) => new LoseWorkflow(p)),
        process,
        process,
        service,
        service,
        fc.record({ ms: fc.integer({ min: 200, max: 3_000 }) }).map((p) => new Pause(p)),
      ],
      { maxCommands, size: 'max' },
    )
    .filter((generated) => [...generated].length >= Math.ceil(maxCommands / 2));
}
