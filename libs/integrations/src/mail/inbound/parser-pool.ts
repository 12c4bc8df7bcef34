/**
 * A small pool of child processes that parse inbound mail. Each parses one message at a time with a capped V8
 * heap; a message that takes longer than `timeoutMs` gets its process killed (and replaced), a process that runs
 * out of memory or dies takes only its current message with it. Both come back as quarantine verdicts, so one
 * bad message cannot stall or crash the service. The queue is bounded: when it is full `parse` throws
 * ParserBusyError and the channel answers "try later" (SMTP 451, HTTP 503).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { quarantine, type ParseLimits, type ParseOutcome } from './types';

export interface ParserPoolOptions {
  size: number;
  timeoutMs: number;
  /** V8 old-space limit of each parser process, in MB. */
  memoryMb: number;
  /** Jobs that may wait for a parser; more are refused with ParserBusyError. */
  maxQueue: number;
  limits: ParseLimits;
  /** The compiled parser entry; default: parse-worker.js next to this file. */
  script?: string;
}

export class ParserBusyError extends Error {
  constructor() {
    super('every parser is busy and the queue is full');
    this.name = 'ParserBusyError';
  }
}

interface Job {
  id: number;
  raw: Buffer;
  resolve(outcome: ParseOutcome): void;
}

interface Slot {
  child: ChildProcess | null;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

export class ParserPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly script: string;
  private nextId = 1;
  private closed = false;
  /** Counters for logs, tests and benchmarks. */
  readonly stats = { parsed: 0, timeouts: 0, crashes: 0, started: 0 };

  constructor(private readonly options: ParserPoolOptions) {
    this.script = options.script ?? join(__dirname, 'parse-worker.js');
    if (!existsSync(this.script)) {
      throw new Error(`the parser ${this.script} is missing: build first (tsc -p tsconfig.build.json)`);
    }
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ child: null, job: null, timer: null }));
    for (const slot of this.slots) this.spawn(slot);
  }

  parse(raw: Buffer): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new Error('the parser pool is closed'));
    if (raw.length > this.options.limits.maxBytes) {
      return Promise.resolve(
        quarantine('too_large', `the message is ${raw.length} bytes; the limit is ${this.options.limits.maxBytes}`),
      );
    }
    const idle = this.slots.find((s) => s.job === null);
    if (!idle && this.queue.length >= this.options.maxQueue) return Promise.reject(new ParserBusyError());
    return new Promise((resolve) => {
      const job: Job = { id: this.nextId++, raw, resolve };
      if (idle) this.run(idle, job);
      else this.queue.push(job);
    });
  }

  /** Messages waiting for a parser. */
  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.resolve(quarantine('parse_resource_limit', 'the service shut down before parsing'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        const child = slot.child;
        slot.child = null;
        slot.job?.resolve(quarantine('parse_resource_limit', 'the service shut down while parsing'));
        slot.job = null;
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGKILL');
          await exited;
        }
      }),
    );
  }

  private spawn(slot: Slot): ChildProcess {
    const child = fork(this.script, [], {
      execArgv: [`--max-old-space-size=${this.options.memoryMb}`, '--max-semi-space-size=8', '--stack-size=2000'],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { NODE_ENV: process.env.NODE_ENV ?? '' },
    });
    this.stats.started += 1;
    slot.child = child;
    child.on('message', (message: { id?: number; outcome?: ParseOutcome }) => {
      if (slot.child !== child || message.id === undefined || slot.job?.id !== message.id || !message.outcome) return;
      this.stats.parsed += 1;
      this.finish(slot, message.outcome);
    });
    child.on('error', () => {
      // spawn or IPC failure: 'exit' follows and replaces the process.
    });
    child.once('exit', (code, signal) => {
      if (slot.child !== child || this.closed) return;
      this.stats.crashes += 1;
      const detail =
        signal === 'SIGABRT' || code === 134
          ? `the parser ran out of memory (limit ${this.options.memoryMb} MB)`
          : `the parser exited (${signal ?? `code ${code}`})`;
      this.replace(slot, quarantine('parse_resource_limit', detail));
    });
    return child;
  }

  private run(slot: Slot, job: Job): void {
    slot.job = job;
    const child = slot.child ?? this.spawn(slot);
    slot.timer = setTimeout(() => {
      this.stats.timeouts += 1;
      this.replace(
        slot,
        quarantine('parse_timeout', `parsing took longer than ${this.options.timeoutMs} ms; the parser was stopped`),
      );
    }, this.options.timeoutMs);
    child.send({
      id: job.id,
      raw: new Uint8Array(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength),
      limits: this.options.limits,
    });
  }

  /** Ends the slot's job with `outcome` and puts a fresh process in place of the current one. */
  private replace(slot: Slot, outcome: ParseOutcome): void {
    const child = slot.child;
    slot.child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.finish(slot, outcome);
  }

  private finish(slot: Slot, outcome: ParseOutcome): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    const job = slot.job;
    slot.job = null;
    job?.resolve(outcome);
    if (this.closed) return;
    if (!slot.child) this.spawn(slot);
    const next = this.queue.shift();
    if (next) this.run(slot, next);
  }
}
