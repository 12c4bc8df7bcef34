import type { DataSource } from 'typeorm';
import {
  INTENTS,
  normalisedEditDistance,
  wouldHaveBeenWrong,
  type AuditEntry,
  type AutonomySample,
  type FinalAction,
  type Intent,
  type TicketSnapshot,
  type TriageOutcome,
} from '../../../domain';

type Db = Pick<DataSource, 'query'>;

/** How long after a reply a customer's unhappy message counts against the draft that was sent. */
const DEFAULT_UNHAPPY_WITHIN_SECONDS = 7 * 86_400;

/** An agent's decision on a draft, by the audit action that records it. */
const DECISIONS: Record<string, FinalAction> = {
  approve: 'sent_as_is',
  edit: 'edited',
  reject: 'rejected',
  cancel_auto_send: 'auto_cancelled',
};

const SENT: FinalAction[] = ['sent_as_is', 'edited', 'auto_sent'];

/**
 * The outcome rows written beside the ticket's own writes, in the same transaction, so the evidence never
 * disagrees with what happened. Each write is keyed or guarded, so a retried activity changes nothing.
 */
export class OutcomeRecorder {
  constructor(private readonly unhappyWithinSeconds = DEFAULT_UNHAPPY_WITHIN_SECONDS) {}

  /** A new routing: the audit row, the outcome row, and what it says about the previous draft. */
  async routed(tx: Db, ticketId: string, outcome: TriageOutcome, snapshot: TicketSnapshot): Promise<void> {
    const key = `${ticketId}:${snapshot.seq}`;
    const { decision, classification, confidence } = outcome;
    const intent = classification.primaryIntent;
    const autonomy = decision.autonomy ?? { mode: 'human' as const, candidate: false };
    const unhappy =
      classification.sentiment.frustration || classification.sentiment.score <= -0.3 || intent === 'complaint';
    if (unhappy) {
      await tx.query(
        `UPDATE routing_outcomes SET unhappy = true
          WHERE id = (SELECT id FROM routing_outcomes WHERE ticket_id = $1 AND key <> $2 ORDER BY id DESC LIMIT 1)
            AND final_action = ANY($3) AND decided_at > now() - make_interval(secs => $4)`,
        [ticketId, key, SENT, this.unhappyWithinSeconds],
      );
    }
    await tx.query(
      `UPDATE routing_outcomes SET final_action = 'superseded' WHERE ticket_id = $1 AND key <> $2 AND final_action IS NULL`,
      [ticketId, key],
    );
    const inserted: unknown[] = await tx.query(
      `INSERT INTO routing_outcomes (key, ticket_id, draft_version, policy_version, route, reasons, intent, confidence,
                                     mode, candidate)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (key) DO NOTHING RETURNING id`,
      [
        key,
        ticketId,
        snapshot.draftVersion,
        decision.policyVersion,
        decision.route,
        decision.reasons.map((r) => r.code),
        intent,
        confidence.score,
        autonomy.mode,
        autonomy.candidate,
      ],
    );
    if (inserted.length === 0) return;
    await tx.query(
      `INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
       VALUES ($1, $2, 'system', 'routed', NULL, $3) ON CONFLICT (key) DO NOTHING`,
      [
        ticketId,
        `routed:${key}`,
        JSON.stringify({
          route: decision.route,
          queue: decision.queue,
          reasons: decision.reasons.map((r) => r.code),
          intent,
          confidence: confidence.score,
          mode: autonomy.mode,
          policyVersion: decision.policyVersion,
          draftVersion: snapshot.draftVersion,
        }),
      ],
    );
  }

  /** An agent's decision recorded in the audit trail: the latest undecided draft gets its verdict. */
  async decided(tx: Db, entry: AuditEntry): Promise<void> {
    if (entry.action === 'reassign') {
      await tx.query(
        `UPDATE routing_outcomes SET reassigned = true
          WHERE id = (SELECT id FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1)`,
        [entry.ticketId],
      );
      return;
    }
    const action = DECISIONS[entry.action];
    if (!action) return;
    await tx.query(
      `UPDATE routing_outcomes SET final_action = $2, decided_by = $3, decided_at = now()
        WHERE id = (SELECT id FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1)
          AND final_action IS NULL`,
      [entry.ticketId, action, entry.actor],
    );
  }

  /**
   * A reply an agent sent: how far it is from the draft. The send may be recorded before or after the decision's
   * audit row (the decision is accepted first, its audit and the send follow concurrently), so this looks only at
   * the latest draft.
   */
  async agentReplied(tx: Db, ticketId: string, body: string): Promise<void> {
    const rows: { id: string; draft: string | null }[] = await tx.query(
      `SELECT o.id, t.triage->'draft'->>'body' AS draft
         FROM routing_outcomes o JOIN tickets t ON t.id = o.ticket_id
        WHERE o.id = (SELECT id FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1)
          AND o.edit_distance IS NULL AND o.final_action IS DISTINCT FROM 'superseded'`,
      [ticketId],
    );
    const row = rows[0];
    if (!row) return;
    const distance = row.draft === null ? 1 : normalisedEditDistance(row.draft, body);
    await tx.query(`UPDATE routing_outcomes SET edit_distance = $2 WHERE id = $1`, [row.id, distance]);
  }

  /** An automatic reply went out: its outcome, and an audit row like an agent's decision. */
  async autoSent(tx: Db, idempotencyKey: string): Promise<void> {
    const rows: { ticket_id: string; draft_version: number; message_id: string }[] = await tx.query(
      `SELECT ticket_id, draft_version, message_id FROM outbox WHERE idempotency_key = $1 AND sent_by = 'auto'`,
      [idempotencyKey],
    );
    const sent = rows[0];
    if (!sent) return;
    await tx.query(
      `UPDATE routing_outcomes SET final_action = 'auto_sent', decided_by = 'system', decided_at = now(), edit_distance = 0
        WHERE id = (SELECT id FROM routing_outcomes WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1)
          AND final_action IS NULL AND route = 'auto'`,
      [sent.ticket_id],
    );
    await tx.query(
      `INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
       VALUES ($1, $2, 'system', 'auto_sent', NULL, $3) ON CONFLICT (key) DO NOTHING`,
      [
        sent.ticket_id,
        `${idempotencyKey}:sent`,
        JSON.stringify({ draftVersion: sent.draft_version, messageId: sent.message_id }),
      ],
    );
  }
}

/** Reading and correcting outcomes: the evidence earned autonomy is computed from. */
export class OutcomeRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * The decided outcomes of drafts that only the threshold stood between and an automatic reply, as evidence
   * samples. Streams in pages so a large history stays within memory.
   */
  async evidence(maxEditDistance?: number): Promise<AutonomySample[]> {
    const samples: AutonomySample[] = [];
    let after = '0';
    for (;;) {
      const rows: RawOutcome[] = await this.db.query(
        `SELECT id, intent, confidence, final_action, edit_distance, reassigned, unhappy, corrected_intent
           FROM routing_outcomes
          WHERE candidate AND mode <> 'human' AND final_action IS NOT NULL AND final_action <> 'superseded' AND id > $1
          ORDER BY id LIMIT 10000`,
        [after],
      );
      for (const r of rows) {
        const verdict = toVerdict(r);
        samples.push({
          intent: r.intent,
          confidence: r.confidence,
          wrong: wouldHaveBeenWrong(verdict, maxEditDistance),
        });
      }
      if (rows.length < 10_000) return samples;
      after = rows[rows.length - 1].id;
    }
  }

  /**
   * An agent says the intent was wrong: the latest routed draft of the ticket records the right one, and the
   * ticket's audit trail records who said so. Saying the same again changes nothing.
   */
  async correctIntent(
    ticketId: string,
    intent: Intent,
    actor: string,
  ): Promise<{ intent: Intent; draftVersion: number } | null> {
    if (!INTENTS.includes(intent)) throw new RangeError(`unknown intent ${intent}`);
    return this.db.transaction(async (tx) => {
      const rows: { id: string; intent: Intent; draft_version: number; corrected_intent: Intent | null }[] =
        await tx.query(
          `SELECT id, intent, draft_version, corrected_intent FROM routing_outcomes
            WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1 FOR UPDATE`,
          [ticketId],
        );
      const row = rows[0];
      if (!row) return null;
      const answer = { intent: row.intent, draftVersion: row.draft_version };
      if (row.corrected_intent === intent) return answer;
      await tx.query(`UPDATE routing_outcomes SET corrected_intent = $2, corrected_by = $3 WHERE id = $1`, [
        row.id,
        intent,
        actor,
      ]);
      await tx.query(
        `INSERT INTO ticket_audit (ticket_id, key, actor, action, before, after)
         VALUES ($1, $2, $3, 'correct_intent', $4, $5) ON CONFLICT (key) DO NOTHING`,
        [
          ticketId,
          `correct-intent:${row.id}:${intent}`,
          actor,
          JSON.stringify({ intent: row.corrected_intent ?? row.intent }),
          JSON.stringify({ intent, draftVersion: row.draft_version }),
        ],
      );
      return answer;
    });
  }
}

/** What the evidence reads of an outcome. */
interface RawOutcome {
  id: string;
  intent: Intent;
  confidence: number;
  final_action: FinalAction | null;
  edit_distance: number | null;
  reassigned: boolean;
  unhappy: boolean;
  corrected_intent: Intent | null;
}

function toVerdict(r: RawOutcome) {
  return {
    intent: r.intent,
    finalAction: r.final_action,
    editDistance: r.edit_distance,
    reassigned: r.reassigned,
    unhappy: r.unhappy,
    correctedIntent: r.corrected_intent,
  };
}
