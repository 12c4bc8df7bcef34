/**
 * Cost of the SLA deadline maths on one core: what the workflow pays each time it recomputes its one timer.
 *
 *   node dist/bench/sla-model.js [--seconds 1]
 *
 * Cases (deterministic seeded inputs in 2026–2027):
 *   add-business-time    addBusinessTime with a 0–16 h target on the default New York calendar (its days memoised)
 *   add-business-cold    the same on a fresh copy of the calendar each time: what a new workflow run pays first
 *   business-between     businessSecondsBetween over 0–14 days
 *   ladder-business      nextLadderStep + slaStateAt for a business-time metric with 0–3 pauses and the default ladder
 *   ladder-business-cold the same on a fresh copy of the calendar
 *   ladder-calendar      the same in calendar time
 *   validate-config      validateSlaConfig(DEFAULT_SLA_CONFIG)
 * Reports ops/s and p50/p99 latency (µs) per case, then one JSON line.
 */
import {
  addBusinessTime,
  businessSecondsBetween,
  CALENDAR_TIME,
  DEFAULT_ESCALATION_LADDER,
  DEFAULT_SLA_CONFIG,
  nextLadderStep,
  slaStateAt,
  US_EAST_BUSINESS_CALENDAR,
  validateSlaConfig,
  type LadderState,
  type PauseInterval,
  type TimeBasis,
} from '../libs/domain';
import { numberArg } from './lib/args';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR_MS = 3_600_000;
const FROM = Date.UTC(2026, 0, 1);
const SPAN = Date.UTC(2027, 11, 1) - FROM;
const CALENDAR = US_EAST_BUSINESS_CALENDAR;
const BUSINESS: TimeBasis = { kind: 'business', calendar: CALENDAR };

function ladderStates(time: TimeBasis, n: number, seed: number): { state: LadderState; now: Date }[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const start = FROM + Math.floor(r() * SPAN);
    const pauses: PauseInterval[] = [];
    let cursor = start;
    for (let p = Math.floor(r() * 4); p > 0; p--) {
      cursor += Math.floor(r() * 6 * HOUR_MS);
      const length = Math.floor(r() * 24 * HOUR_MS);
      pauses.push({ from: new Date(cursor), to: new Date(cursor + length) });
      cursor += length;
    }
    const state: LadderState = {
      sla: {
        targetSeconds: [1_800, 3_600, 4 * 3_600, 8 * 3_600][Math.floor(r() * 4)] as number,
        time,
        levels: DEFAULT_ESCALATION_LADDER,
      },
      clock: { startedAt: new Date(start), pauses },
      firedLevelIds: r() < 0.5 ? [] : ['warn'],
      breachRecorded: false,
      metAt: null,
    };
    return { state, now: new Date(start + Math.floor(r() * 72 * HOUR_MS)) };
  });
}

/** A ladder step on a fresh copy of the calendar, as the first recompute of a new workflow run. */
function ladderStepCold(state: LadderState, now: Date): unknown {
  const fresh: LadderState = { ...state, sla: { ...state.sla, time: { kind: 'business', calendar: { ...CALENDAR } } } };
  return [nextLadderStep(fresh, now), slaStateAt(fresh, now)];
}

/** Enough samples for stable percentiles without the samples themselves dominating the memory figures. */
const MAX_SAMPLES = 200_000;

interface Result {
  name: string;
  ops: number;
  opsPerSecond: number;
  p50Us: number;
  p99Us: number;
}

function measure<T>(name: string, inputs: T[], run: (input: T) => unknown, seconds: number): Result {
  for (let i = 0; i < Math.min(inputs.length, 2_000); i++) run(inputs[i] as T); // warm-up
  const samples: number[] = [];
  const started = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let i = 0;
  while (process.hrtime.bigint() - started < budget && samples.length < MAX_SAMPLES) {
    const t = process.hrtime.bigint();
    run(inputs[i % inputs.length] as T);
    samples.push(Number(process.hrtime.bigint() - t) / 1_000);
    i++;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  samples.sort((a, b) => a - b);
  const pct = (p: number) =>
    Number((samples[Math.min(samples.length - 1, Math.floor(samples.length * p))] ?? 0).toFixed(1));
  return {
    name,
    ops: samples.length,
    opsPerSecond: Math.round(samples.length / elapsed),
    p50Us: pct(0.5),
    p99Us: pct(0.99),
  };
}

function main(): void {
  const seconds = numberArg('seconds', 1);
  const r = rng(7);
  const starts = Array.from({ length: 5_000 }, () => new Date(FROM + Math.floor(r() * SPAN)));
  const adds = starts.map((start) => ({ start, seconds: Math.floor(r() * 16 * 3_600) }));
  const betweens = starts.map((a) => ({ a, b: new Date(a.getTime() + Math.floor(r() * 14 * 24 * HOUR_MS)) }));
  const business = ladderStates(BUSINESS, 5_000, 11);
  const calendar = ladderStates(CALENDAR_TIME, 5_000, 13);
  const configJson = JSON.parse(JSON.stringify(DEFAULT_SLA_CONFIG)) as unknown;

  const results = [
    measure('add-business-time', adds, (x) => addBusinessTime(x.start, x.seconds, CALENDAR), seconds),
    measure('add-business-cold', adds, (x) => addBusinessTime(x.start, x.seconds, { ...CALENDAR }), seconds),
    measure('business-between', betweens, (x) => businessSecondsBetween(x.a, x.b, CALENDAR), seconds),
    measure('ladder-business', business, (x) => [nextLadderStep(x.state, x.now), slaStateAt(x.state, x.now)], seconds),
    measure('ladder-business-cold', business, (x) => ladderStepCold(x.state, x.now), seconds),
    measure('ladder-calendar', calendar, (x) => [nextLadderStep(x.state, x.now), slaStateAt(x.state, x.now)], seconds),
    measure('validate-config', [configJson], (x) => validateSlaConfig(x), seconds),
  ];

  for (const res of results) {
    console.log(
      `${res.name.padEnd(20)} ${String(res.opsPerSecond).padStart(9)} ops/s   p50 ${res.p50Us} µs   p99 ${res.p99Us} µs`,
    );
  }
  const memory = process.memoryUsage();
  console.log(
    JSON.stringify({
      bench: 'sla-model',
      node: process.version,
      secondsPerCase: seconds,
      cases: Object.fromEntries(
        results.map((res) => [res.name, { opsPerSecond: res.opsPerSecond, p50Us: res.p50Us, p99Us: res.p99Us }]),
      ),
      heapUsedMb: Math.round(memory.heapUsed / 1e6),
      rssMb: Math.round(memory.rss / 1e6),
    }),
  );
}

main();
