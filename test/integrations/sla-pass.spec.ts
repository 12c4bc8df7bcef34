import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SlaPassRecord, TicketSnapshot } from '../../libs/domain';
import { createDataSource, OutcomeRecorder, TicketRepository } from '../../libs/persistence';
import { isolatedDatabase, type IsolatedDatabase } from '../support/inbox';

/**
 * An SLA pass's one write, on a real PostgreSQL, from the fault's side: Temporal retries a local activity whose
 * write committed but whose answer was lost, and an older pass can arrive after a newer one. Each row lands once,
 * in order, and the read model never moves back.
 */
describe('SLA pass write', () => {
  let db: IsolatedDatabase;
  let ds: DataSource;
  let tickets: TicketRepository;

  beforeAll(async () => {
    db = await isolatedDatabase('sla_pass');
    ds = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    tickets = new TicketRepository(ds, new OutcomeRecorder(3600));
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  async function newTicket(): Promise<string> {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, route, queue, priority)
       VALUES ($1, $2, 'awaiting_review', 'robin@example.com', 'Order', 'review', 'standard', 'normal')`,
      [id, `ticket-${id}`],
    );
    return id;
  }

  const snapshot = (seq: number, priority: TicketSnapshot['priority']): TicketSnapshot => ({
    seq,
    status: 'awaiting_review',
    route: 'review',
    queue: 'escalations',
    priority,
    claimedBy: null,
    escalated: true,
    slaState: 'breached',
    slaDeadline: '2026-12-02T10:00:00.000Z',
    draftVersion: 1,
  });

  function pass(ticketId: string, seq: number, level: string, snap: TicketSnapshot | null): SlaPassRecord {
    return {
      ticketId,
      supervisor: null,
      snapshot: snap,
      audits: [
        { ticketId, key: `${ticketId}:breach`, actor: 'system', action: 'sla_breach', before: null, after: { seq } },
        {
          ticketId,
          key: `${ticketId}:${level}`,
          actor: 'system',
          action: 'sla_escalation',
          before: { queue: 'standard' },
          after: { level },
        },
      ],
      notifications: [
        {
          key: `${ticketId}:${level}:notify`,
          ticketId,
          metric: 'first_reply',
          levelId: level,
          action: { type: 'notify', channel: 'webhook', target: 'sla-alerts' },
          queue: 'escalations',
          priority: 'high',
          firedAt: '2026-12-02T10:00:00.000Z',
        },
      ],
    };
  }

  it('writes audit rows in order, the outbox row and the state, each once across retries', async () => {
    const id = await newTicket();
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(tickets.recordSlaPass(pass(id, 5, 'breach-level', snapshot(5, 'high')))).resolves.toEqual({
        assignTo: null,
      });
    }
    const audits = await ds.query(
      `SELECT key, action, before, after FROM ticket_audit WHERE ticket_id = $1 ORDER BY id`,
      [id],
    );
    expect(audits).toEqual([
      { key: `${id}:breach`, action: 'sla_breach', before: null, after: { seq: 5 } },
      {
        key: `${id}:breach-level`,
        action: 'sla_escalation',
        before: { queue: 'standard' },
        after: { level: 'breach-level' },
      },
    ]);
    const outbox = await ds.query(`SELECT key, status, payload FROM sla_notifications WHERE ticket_id = $1`, [id]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ key: `${id}:breach-level:notify`, status: 'pending' });
    expect(outbox[0].payload).toMatchObject({ ticketId: id, levelId: 'breach-level', action: { type: 'notify' } });
    const [state] = await ds.query(`SELECT state_seq, queue, priority, sla_state FROM tickets WHERE id = $1`, [id]);
    expect(state).toEqual({ state_seq: '5', queue: 'escalations', priority: 'high', sla_state: 'breached' });
  });

  it('an older pass arriving late adds its rows but never moves the state back; no snapshot leaves it alone', async () => {
    const id = await newTicket();
    await tickets.recordSlaPass(pass(id, 7, 'second', snapshot(7, 'urgent')));
    await tickets.recordSlaPass(pass(id, 6, 'first', snapshot(6, 'high')));
    await tickets.recordSlaPass(pass(id, 8, 'third', null));
    const [state] = await ds.query(`SELECT state_seq, priority FROM tickets WHERE id = $1`, [id]);
    expect(state).toEqual({ state_seq: '7', priority: 'urgent' });
    const keys = await ds.query(`SELECT key FROM sla_notifications WHERE ticket_id = $1 ORDER BY key`, [id]);
    expect(keys.map((r: { key: string }) => r.key)).toEqual([
      `${id}:first:notify`,
      `${id}:second:notify`,
      `${id}:third:notify`,
    ]);
  });

  it('a pass for a ticket that is not in the read model fails whole: nothing of it is written', async () => {
    const id = randomUUID();
    await expect(tickets.recordSlaPass(pass(id, 1, 'orphan', snapshot(1, 'high')))).rejects.toThrow();
    const [{ count }] = await ds.query(
      `SELECT (SELECT count(*) FROM ticket_audit WHERE key LIKE $1) + (SELECT count(*) FROM sla_notifications WHERE key LIKE $1) AS count`,
      [`${id}%`],
    );
    expect(Number(count)).toBe(0);
  });
});
