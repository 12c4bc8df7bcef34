/**
 * The chaos model (test/chaos) for longer: generated interleavings of customer messages, agent decisions and
 * faults against the real stack, each run followed by the invariant checks I1–I7.
 *
 *   npm run chaos -- [--runs 20] [--seed <n>] [--path <p>] [--commands 16] [--minutes <m>]
 *
 * Starts its own PostgreSQL, Temporal dev server, SMTP sink, webhook receiver, API and worker (the built dist).
 * `--minutes` stops starting new runs after that long (the JSON line counts the runs that ran). Prints every run,
 * each failing run with its seed and path (`--seed S --path P` generates it again), and ends with one JSON line
 * `{"bench":"chaos",...}`. Exits 1 when any invariant was violated.
 */
import { FAULT_KINDS } from '../test/chaos/record';
import { runChaos } from '../test/chaos/run-chaos';
import { numberArg, textArg } from './lib/args';

async function main(): Promise<void> {
  const runs = Math.floor(numberArg('runs', 20));
  const seed = Math.floor(numberArg('seed', Date.now() % 1_000_000_000));
  const path = textArg('path');
  const maxCommands = Math.floor(numberArg('commands', 16));
  const minutes = numberArg('minutes', 0) || undefined;
  const report = await runChaos({
    runs,
    seed,
    maxCommands,
    ...(minutes ? { minutes } : {}),
    ...(path ? { path } : {}),
  });
  const rows = FAULT_KINDS.map((kind) => `  ${kind.padEnd(16)} ${report.faults[kind]}`);
  process.stdout.write(
    [
      `chaos: ${report.runs} runs, seed ${seed}, ${report.commands} commands, ${report.seconds} s`,
      'faults:',
      ...rows,
      `re-deliveries with the same Message-ID (crash after the SMTP server accepted): ${report.redeliveries}`,
      `violations: ${report.violations} in ${report.failures.length} runs` +
        report.failures.map((f) => `\n  run ${f.run}: --seed ${f.seed} --path ${f.path}`).join(''),
      '',
    ].join('\n'),
  );
  const line = {
    bench: 'chaos',
    runs: report.runs,
    seed,
    violations: report.violations,
    faults: report.faults,
    commands: report.commands,
    seconds: report.seconds,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (report.violations > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
