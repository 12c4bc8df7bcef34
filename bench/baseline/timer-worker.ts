/**
 * The baseline worker of `bench/sla --rate-ramp`: a process of its own, sized like Seamline's worker (same cache,
 * same task slots, same heap), running only the bare timer workflow. Env: TEMPORAL_ADDRESS, DATABASE_URL,
 * TEMPORAL_TASK_QUEUE, WORKER_MAX_CACHED_WORKFLOWS, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { createTimerActivities } from './timer.activities';

async function main(): Promise<void> {
  const env = process.env;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: 10 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS bench_timer_fired (id text PRIMARY KEY, deadline timestamptz NOT NULL, fired_at timestamptz NOT NULL)`,
  );
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'bench-timers',
    workflowsPath: require.resolve('./timer.workflow'),
    activities: createTimerActivities(pool),
    maxCachedWorkflows: Number(env.WORKER_MAX_CACHED_WORKFLOWS ?? 250),
    maxConcurrentWorkflowTaskExecutions: Number(env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? 40),
  });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
