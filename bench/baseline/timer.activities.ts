import type { Pool } from 'pg';

export function createTimerActivities(pool: Pool) {
  return {
    async recordFired(id: string, deadlineMs: number): Promise<void> {
      await pool.query(
        `INSERT INTO bench_timer_fired (id, deadline, fired_at) VALUES ($1, to_timestamp($2 / 1000.0), now())
         ON CONFLICT (id) DO NOTHING`,
        [id, deadlineMs],
      );
    },
  };
}

export type TimerActivities = ReturnType<typeof createTimerActivities>;
