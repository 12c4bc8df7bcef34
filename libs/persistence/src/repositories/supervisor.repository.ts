import type { DataSource } from 'typeorm';

type Queryable = Pick<DataSource, 'query'>;

/**
 * An active supervisor for the queue: members of the queue first, then any supervisor; among them the one
 * holding the fewest open tickets, so escalations spread over the people on duty.
 */
export async function supervisorOnDuty(
  db: Queryable,
  queue: string | null,
): Promise<{ id: string; email: string } | null> {
  const rows: { id: string; email: string }[] = await db.query(
    `SELECT u.id, u.email
       FROM users u
      WHERE u.role = 'supervisor' AND u.active
      ORDER BY EXISTS (SELECT 1 FROM queue_memberships m WHERE m.user_id = u.id AND m.queue = $1) DESC,
               (SELECT count(*) FROM tickets t WHERE t.claimed_by = u.id::text AND t.status <> 'closed') ASC,
               u.email ASC
      LIMIT 1`,
    [queue],
  );
  return rows[0] ?? null;
}

/** Who takes over a ticket when its SLA ladder hands it to a supervisor. */
export class SupervisorRepository {
  constructor(private readonly db: DataSource) {}

  onDutyFor(queue: string | null): Promise<{ id: string; email: string } | null> {
    return supervisorOnDuty(this.db, queue);
  }
}
