/**
 * Runs the chaos model: `runs` generated command sequences (fast-check `commands`) against one chaos stack, each on
 * its own customers, each followed by the invariant checks. A run with violations prints its seed and path, which
 * generate the same commands again (`--seed S --path P`); the timing of the real processes is not replayed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { repoRoot } from '../support/repo-root';
import { insertCustomerWithOrder } from '../support/db';
import { chaosCommands, openingCommands, type ChaosContext } from './commands';
import { settleAndCheck, type Evidence } from './invariants';
import { FAULT_KINDS, INVARIANTS, RunRecord, type FaultCounts, type Violation } from './record';
import { startChaosStack, type ChaosStack } from './stack';

/** Where a run with violations leaves its record and evidence (git-ignored). */
const REPORT_DIR = join(repoRoot(), 'test-output', 'chaos');

export interface ChaosOptions {
  runs: number;
  seed: number;
  /** Replays one generated run (fast-check path, e.g. "3") instead of `runs` new ones. */
  path?: string;
  maxCommands?: number;
  /** No new run starts after this many minutes; the report counts the runs that ran. */
  minutes?: number;
  log?: (line: string) => void;
  /** A stack already running (tests reuse one); otherwise one is started and stopped. */
  stack?: ChaosStack;
}

export interface RunFailure {
  run: number;
  seed: number;
  path: string;
  commands: string;
  violations: Violation[];
}

export interface ChaosReport {
  runs: number;
  seed: number;
  failures: RunFailure[];
  violations: number;
  faults: FaultCounts;
  commands: number;
  /**
   * Replies and acknowledgements the SMTP sink received more than once with the same Message-ID: the one window
   * that cannot be closed (accepted by the server, not yet marked sent). Allowed, and counted.
   */
  redeliveries: number;
  /** Commands run, by kind (approve, strangerReply, workerKill, ...). */
  commandKinds: Record<string, number>;
  seconds: number;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`[chaos] ${line}\n`));
  const started = Date.now();
  const stack = options.stack ?? (await startChaosStack(log));
  const ctx: ChaosContext = { stack, log };
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultCounts;
  const failures: RunFailure[] = [];
  let commands = 0;
  const commandKinds: Record<string, number> = {};
  let index = 0;
  const firstPath = options.path ? Number(options.path.split(':')[0]) : 0;
  try {
    const stopAt = options.minutes ? started + options.minutes * 60_000 : Infinity;
    let generatedRuns = 0;
    const property = fc.asyncProperty(chaosCommands(options.maxCommands ?? 14), async (generated) => {
      const runIndex = firstPath + generatedRuns++;
      if (Date.now() > stopAt) return true; // out of time: the rest are not run (nor counted)
      index++;
      const run = new RunRecord(runIndex, `${runIndex.toString(36)}${started.toString(36).slice(-4)}`);
      for (const c of run.customers) await insertCustomerWithOrder(stack.db, c);
      const begun = Date.now();
      for (const opening of openingCommands()) await opening.run(run, ctx);
      const steps: string[] = [];
      await fc.asyncModelRun(() => ({ model: run, real: ctx }), wrap(generated, steps, run));
      const evidence: { last?: Evidence } = {};
      const violations = await settleAndCheck(run, ctx, evidence);
      commands += steps.length + 3;
      for (const step of steps) {
        const kind = step.split('(')[0] as string;
        commandKinds[kind] = (commandKinds[kind] ?? 0) + 1;
      }
      for (const [kind, n] of Object.entries(run.faultCounts())) faults[kind as keyof FaultCounts] += n;
      const seconds = ((Date.now() - begun) / 1000).toFixed(1);
      log(
        `run ${runIndex}: ${steps.length + 3} commands, ${run.faults.length} faults, ${violations.length} violations, ${seconds} s`,
      );
      if (violations.length) {
        const failure = {
          run: runIndex,
          seed: options.seed,
          path: String(runIndex),
          commands: steps.join(' '),
          violations,
        };
        failures.push(failure);
        log(describeFailure(failure));
        const file = join(REPORT_DIR, `seed-${options.seed}-run-${runIndex}.json`);
        mkdirSync(REPORT_DIR, { recursive: true });
        const { outages: _o, timers: _t, ...sent } = run;
        writeFileSync(file, `${JSON.stringify({ failure, sent, evidence: evidence.last }, null, 2)}\n`);
        log(`  what the run sent and what the checks saw: ${file}`);
      }
      return true; // violations are collected, not thrown: every run is checked and counted
    });
    const result = await fc.check(property, {
      seed: options.seed,
      numRuns: options.path ? 1 : options.runs,
      ...(options.path ? { path: options.path } : {}),
      endOnFailure: true,
    });
    if (result.failed) {
      const cause =
        result.errorInstance instanceof Error ? result.errorInstance : new Error(String(result.errorInstance));
      throw new Error(
        `the chaos run broke off (seed ${options.seed}, path ${result.counterexamplePath}): ${cause.message}\n${stack.output()}`,
        { cause },
      );
    }
  } finally {
    if (!options.stack) await stack.stop();
  }
  const copies = new Map<string, number>();
  for (const mail of stack.sink.received) {
    if (/^<(reply|ack)-/.test(mail.messageId ?? ''))
      copies.set(mail.messageId as string, (copies.get(mail.messageId as string) ?? 0) + 1);
  }
  return {
    redeliveries: [...copies.values()].reduce((n, c) => n + c - 1, 0),
    runs: index,
    seed: options.seed,
    failures,
    violations: failures.reduce((n, f) => n + f.violations.length, 0),
    faults,
    commands,
    commandKinds,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

/** The commands as fast-check runs them, with each one's name kept for the report. */
function wrap<C extends { toString(): string }>(generated: Iterable<C>, steps: string[], run: RunRecord): Iterable<C> {
  return {
    *[Symbol.iterator]() {
      for (const c of generated) {
        steps.push(c.toString());
        run.commands += 1;
        yield c;
      }
    },
  };
}

export function describeFailure(f: RunFailure): string {
  const lines = f.violations.map((v) => `  ${v.invariant} (${INVARIANTS[v.invariant]}): ${v.detail}`);
  return [
    `run ${f.run} violated ${f.violations.length} invariant checks; replay: npm run chaos -- --seed ${f.seed} --path ${f.path}`,
    `  commands: ${f.commands}`,
    ...lines,
  ].join('\n');
}
