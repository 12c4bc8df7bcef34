import type { DataSource } from 'typeorm';

/** A fixed id for the demo's history ticket, so seeding again finds it. */
const HISTORY_TICKET_ID = '00000000-0000-4000-8000-00000000d3e0';

/**
 * Earlier outcomes for `npm start`, so earned autonomy has something to learn from: order-status drafts that
 * agents reviewed in shadow mode (nearly all sent as drafted, a few edited, one rejected at low confidence), enough
 * for the first recompute to promote order status to automatic sending; account questions with too little
 * evidence stay in shadow. They hang off one closed history ticket. Deterministic and idempotent.
 */
export async function seedDemoOutcomes(db: DataSource, now = new Date()): Promise<{ outcomes: number }> {
  const existing: { n: number }[] = await db.query(
    `SELECT count(*)::int AS n FROM routing_outcomes WHERE key LIKE 'demo:%'`,
  );
  if ((existing[0]?.n ?? 0) > 0) return { outcomes: 0 };
  await db.query(
    `INSERT INTO tickets (id, workflow_id, status, customer_email, subject, route, queue, priority, closed_at)
     VALUES ($1, $2, 'closed', 'history@demo.seamline.local', 'Demo history: earlier reviewed drafts', 'review',
             'standard', 'normal', $3)
     ON CONFLICT (id) DO NOTHING`,
    [HISTORY_TICKET_ID, `demo-history-${HISTORY_TICKET_ID}`, now.toISOString()],
  );
  const rows: unknown[][] = [];
  const add = (intent: string, confidence: number, action: string, editDistance: number) => {
    const i = rows.length;
    const routedAt = new Date(now.getTime() - (400 - i) * 3_600_000);
    const decidedAt = new Date(routedAt.getTime() + (5 + (i % 40)) * 60_000);
    rows.push([`demo:${i}`, intent, confidence, action, editDistance, routedAt.toISOString(), decidedAt.toISOString()]);
  };
  for (let i = 0; i < 180; i++) add('order_status', 0.78 + (i % 20) / 100, 'sent_as_is', 0);
  for (let i = 0; i < 6; i++) add('order_status', 0.9 + i / 100, 'edited', 0.05);
  add('order_status', 0.52, 'rejected', 1);
  for (let i = 0; i < 24; i++) add('account', 0.8 + (i % 10) / 100, 'sent_as_is', 0);
  for (const [key, intent, confidence, action, editDistance, routedAt, decidedAt] of rows) {
    await db.query(
      `INSERT INTO routing_outcomes (key, ticket_id, draft_version, policy_version, route, reasons, intent, confidence,
                                     mode, candidate, routed_at, final_action, decided_by, decided_at, edit_distance)
       VALUES ($1, $2, 1, 'demo-history', 'review', ARRAY['shadow_mode'], $3, $4, 'shadow', true, $5, $6, 'demo', $7, $8)
       ON CONFLICT (key) DO NOTHING`,
      [key, HISTORY_TICKET_ID, intent, confidence, routedAt, action, decidedAt, editDistance],
    );
  }
  return { outcomes: rows.length };
}
