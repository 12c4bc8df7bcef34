import { runChaos, describeFailure } from './run-chaos';
import { FAULT_KINDS } from './record';

/** The fixed-seed subset `npm test` runs; `npm run chaos -- --runs N --seed S` runs more of the same model. */
const SEED = 29;
const RUNS = 5;
const MAX_COMMANDS = 16;

/**
 * Model-based chaos against the real stack (built API and worker as processes, a Temporal dev server on its own
 * database file, a PostgreSQL of its own, the SMTP sink, a webhook receiver): generated interleavings of customer
 * messages, agent decisions and faults, then the invariants I1–I7 (test/chaos/record.ts). A failing run prints
 * its seed and path for `npm run chaos -- --seed S --path P`.
 */
describe('chaos: customers, agents and faults interleaved against the real stack', () => {
  it(
    'keeps every invariant over a fixed-seed subset, with every kind of fault',
    async () => {
      const report = await runChaos({ runs: RUNS, seed: SEED, maxCommands: MAX_COMMANDS });
      const { failures, commandKinds: _kinds, ...figures } = report;
      process.stderr.write(`[chaos] ${JSON.stringify({ ...figures, failedRuns: failures.length })}\n`);
      expect(failures.map(describeFailure)).toEqual([]);
      // The seed must reach every fault: a change to the generator that stops doing so fails here, not silently.
      expect(FAULT_KINDS.filter((kind) => report.faults[kind] === 0)).toEqual([]);
      // ... and every kind of customer and agent behaviour (the adversarial ones above all).
      const kinds = ['strangerReply', 'spoofedFrom', 'oversizedMail', 'reusedMessageId', 'duplicate', 'followUp'];
      const agents = ['approve', 'edit', 'reject', 'claim', 'reassign', 'loseWorkflow'];
      expect([...kinds, ...agents].filter((kind) => !report.commandKinds[kind])).toEqual([]);
      expect(report.runs).toBe(RUNS);
    },
    9 * 60_000,
  );
});
