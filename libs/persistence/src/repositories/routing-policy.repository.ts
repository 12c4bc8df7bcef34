import type { DataSource } from 'typeorm';
import {
  sameAutonomy,
  type AutonomySample,
  type AutonomyStore,
  type Intent,
  type IntentAutonomy,
  type IntentControl,
  type RoutingPolicy,
  type RoutingPolicySource,
} from '../../../domain';
import type { OutcomeRepository } from './outcome.repository';

/** A stored routing policy: immutable, numbered; the newest is the one in force. */
export interface StoredRoutingPolicy {
  version: number;
  /** The name tickets record (`routing-2025.2+autonomy.7`). */
  name: string;
  policy: RoutingPolicy;
  intents: IntentAutonomy[];
  reason: string;
  createdBy: string;
  createdAt: string;
}

export interface AdminAuditRow {
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  createdAt: string;
}

/** Routing policies, admins' controls per intent, and the audit trail of admins' changes. */
export class RoutingPolicyRepository {
  constructor(private readonly db: DataSource) {}

  async current(): Promise<StoredRoutingPolicy | null> {
    const rows: RawPolicy[] = await this.db.query(
      `SELECT version, name, policy, intents, reason, created_by, created_at FROM routing_policies
        ORDER BY version DESC LIMIT 1`,
    );
    return rows[0] ? toPolicy(rows[0]) : null;
  }

  /**
   * Stores the next version unless the newest already has the same content (`same`). Versions serialise on a
   * transaction-scoped advisory lock, so two recomputes never claim one number.
   */
  async publish(
    next: { base: string; policy: RoutingPolicy; intents: IntentAutonomy[]; reason: string; createdBy: string },
    same: (a: RoutingPolicy, b: RoutingPolicy) => boolean,
  ): Promise<{ stored: StoredRoutingPolicy; changed: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('routing_policies'))`);
      const rows: RawPolicy[] = await tx.query(
        `SELECT version, name, policy, intents, reason, created_by, created_at FROM routing_policies
          ORDER BY version DESC LIMIT 1`,
      );
      const latest = rows[0] ? toPolicy(rows[0]) : null;
      const unchanged =
        latest !== null &&
        same(latest.policy, next.policy) &&
        JSON.stringify(latest.intents.map(controlsOf)) === JSON.stringify(next.intents.map(controlsOf));
      if (latest && unchanged) return { stored: latest, changed: false };
      const version = (latest?.version ?? 0) + 1;
      const name = `${next.base}+autonomy.${version}`;
      const policy = { ...next.policy, version: name };
      const inserted: RawPolicy[] = await tx.query(
        `INSERT INTO routing_policies (version, name, policy, intents, reason, created_by) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING version, name, policy, intents, reason, created_by, created_at`,
        [version, name, JSON.stringify(policy), JSON.stringify(next.intents), next.reason, next.createdBy],
      );
      return { stored: toPolicy(inserted[0]), changed: true };
    });
  }

  async controls(): Promise<IntentControl[]> {
    const rows: { intent: Intent; pinned_human: boolean; target_risk: number | null }[] = await this.db.query(
      `SELECT intent, pinned_human, target_risk FROM intent_controls ORDER BY intent`,
    );
    return rows.map((r) => ({ intent: r.intent, pinnedHuman: r.pinned_human, targetRisk: r.target_risk }));
  }

  /** An admin's change to one intent's controls, audited with before and after; a repeat changes nothing. */
  async setControl(
    intent: Intent,
    change: { pinnedHuman?: boolean; targetRisk?: number | null },
    actor: string,
    requestKey: string,
  ): Promise<IntentControl> {
    return this.db.transaction(async (tx) => {
      const rows: { pinned_human: boolean; target_risk: number | null }[] = await tx.query(
        `SELECT pinned_human, target_risk FROM intent_controls WHERE intent = $1 FOR UPDATE`,
        [intent],
      );
      const before = rows[0]
        ? { pinnedHuman: rows[0].pinned_human, targetRisk: rows[0].target_risk }
        : { pinnedHuman: false, targetRisk: null };
      const after = {
        pinnedHuman: change.pinnedHuman ?? before.pinnedHuman,
        targetRisk: change.targetRisk === undefined ? before.targetRisk : change.targetRisk,
      };
      await tx.query(
        `INSERT INTO intent_controls (intent, pinned_human, target_risk, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (intent) DO UPDATE SET pinned_human = $2, target_risk = $3, updated_by = $4, updated_at = now()`,
        [intent, after.pinnedHuman, after.targetRisk, actor],
      );
      await tx.query(
        `INSERT INTO admin_audit (key, actor, action, before, after) VALUES ($1, $2, 'set_intent_control', $3, $4)
         ON CONFLICT (key) DO NOTHING`,
        [requestKey, actor, JSON.stringify({ intent, ...before }), JSON.stringify({ intent, ...after })],
      );
      return { intent, ...after };
    });
  }

  async audit(limit: number): Promise<AdminAuditRow[]> {
    const rows: { actor: string; action: string; before: never; after: never; created_at: Date }[] =
      await this.db.query(
        `SELECT actor, action, before, after, created_at FROM admin_audit ORDER BY id DESC LIMIT $1`,
        [limit],
      );
    return rows.map((r) => ({
      actor: r.actor,
      action: r.action,
      before: r.before,
      after: r.after,
      createdAt: r.created_at.toISOString(),
    }));
  }
}

interface RawPolicy {
  version: number;
  name: string;
  policy: RoutingPolicy;
  intents: IntentAutonomy[];
  reason: string;
  created_by: string;
  created_at: Date;
}

function controlsOf(i: IntentAutonomy) {
  return [i.intent, i.mode, i.threshold, i.targetRisk, i.pinnedHuman];
}

function toPolicy(r: RawPolicy): StoredRoutingPolicy {
  return {
    version: r.version,
    name: r.name,
    policy: r.policy,
    intents: r.intents,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/** Earned autonomy's store over PostgreSQL: outcomes as evidence, admins' controls, versioned policies. */
export class PostgresAutonomyStore implements AutonomyStore {
  constructor(
    private readonly outcomes: OutcomeRepository,
    private readonly policies: RoutingPolicyRepository,
  ) {}

  evidence(maxEditDistance: number): Promise<AutonomySample[]> {
    return this.outcomes.evidence(maxEditDistance);
  }

  controls(): Promise<IntentControl[]> {
    return this.policies.controls();
  }

  async publish(next: Parameters<AutonomyStore['publish']>[0]) {
    const { stored, changed } = await this.policies.publish(next, sameAutonomy);
    return { version: stored.version, name: stored.name, changed };
  }
}

/**
 * The routing policy in force, as the router reads it: the newest stored version, re-read at most every `ttlMs`,
 * or `initial` before any was stored.
 */
export class StoredRoutingPolicySource implements RoutingPolicySource {
  private cached: { at: number; policy: RoutingPolicy } | null = null;

  constructor(
    private readonly policies: RoutingPolicyRepository,
    private readonly initial: RoutingPolicy,
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<RoutingPolicy> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.policy;
    const stored = await this.policies.current();
    const policy = stored?.policy ?? this.initial;
    this.cached = { at: this.now(), policy };
    return policy;
  }
}
