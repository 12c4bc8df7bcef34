import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import {
  computeAutonomy,
  DEFAULT_AUTONOMY_SETTINGS,
  DEFAULT_ROUTING_POLICY,
  DomainError,
  simulateAutonomy,
  type AutonomySettings,
  type Intent,
  type IntentControl,
} from '../../../../libs/domain';
import { OutcomeRepository, RoutingPolicyRepository } from '../../../../libs/persistence';
import { RoutingPolicyWorkflow } from '../../../../libs/temporal';
import type { UserPrincipal } from '../auth/principal';
import type {
  AdminAuditDto,
  AutonomyViewDto,
  PolicyRecomputedDto,
  SimulateDto,
  SimulationDto,
  UpdateIntentControlDto,
} from './autonomy.dto';

/** Earned autonomy for admins: the policy in force and its evidence, controls per intent, recompute, simulation. */
@Injectable()
export class AutonomyService {
  private readonly settings: AutonomySettings;

  constructor(
    private readonly policies: RoutingPolicyRepository,
    private readonly outcomes: OutcomeRepository,
    private readonly workflow: RoutingPolicyWorkflow,
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
  ) {
    const { targetRisk, minOutcomes } = config.routing.autonomy;
    this.settings = { ...DEFAULT_AUTONOMY_SETTINGS, targetRisk, minOutcomes };
  }

  async view(): Promise<AutonomyViewDto> {
    const { mode, targetRisk, minOutcomes, maxEditDistance, recomputeSeconds } = this.config.routing.autonomy;
    const settings = { targetRisk, minOutcomes, maxEditDistance, recomputeSeconds };
    const stored = await this.policies.current();
    if (stored) {
      const { version, name, reason, createdAt, intents } = stored;
      return { autonomy: mode, version, name, reason, createdAt, settings, intents };
    }
    // nothing stored yet: what the next recompute would find
    const preview = computeAutonomy(DEFAULT_ROUTING_POLICY, [], await this.policies.controls(), this.settings);
    return {
      autonomy: mode,
      version: null,
      name: DEFAULT_ROUTING_POLICY.version,
      reason: null,
      createdAt: null,
      settings,
      intents: preview.intents,
    };
  }

  async setControl(intent: string, dto: UpdateIntentControlDto, admin: UserPrincipal): Promise<AutonomyViewDto> {
    if (!DEFAULT_ROUTING_POLICY.autoSendAllowlist.includes(intent as Intent)) {
      throw new DomainError('INTENT_NOT_FOUND', `${intent} is not an intent that may earn automatic sending`);
    }
    // an optional field sent as null is not given, except targetRisk, where null returns to the default
    const change = {
      ...(dto.pinnedHuman != null ? { pinnedHuman: dto.pinnedHuman } : {}),
      ...(dto.targetRisk !== undefined ? { targetRisk: dto.targetRisk } : {}),
    };
    await this.policies.setControl(intent as Intent, change, admin.id, `intent-control:${randomUUID()}`);
    await this.recompute(admin, `admin changed ${intent}`);
    return this.view();
  }

  async recompute(admin: UserPrincipal, reason = 'asked by an admin'): Promise<PolicyRecomputedDto> {
    const result = await this.workflow.recompute(admin.id, reason).catch((error: unknown) => {
      throw new DomainError(
        'WORKFLOW_UNAVAILABLE',
        `the routing policy workflow could not be reached (${error instanceof Error ? error.message : String(error)})`,
      );
    });
    return { version: result.version, name: result.name, changed: result.changed };
  }

  async simulate(dto: SimulateDto): Promise<SimulationDto> {
    const settings: AutonomySettings = {
      ...this.settings,
      ...(dto.targetRisk != null ? { targetRisk: dto.targetRisk } : {}),
      ...(dto.minOutcomes != null ? { minOutcomes: dto.minOutcomes } : {}),
    };
    const maxEdit = dto.maxEditDistance ?? this.config.routing.autonomy.maxEditDistance;
    const [samples, stored, controls] = await Promise.all([
      this.outcomes.evidence(maxEdit),
      this.policies.current(),
      this.policies.controls(),
    ]);
    const proposedControls: IntentControl[] = dto.pinnedHuman
      ? [
          ...controls.filter((c) => !dto.pinnedHuman!.includes(c.intent)),
          ...dto.pinnedHuman.map((intent) => ({
            intent,
            pinnedHuman: true,
            targetRisk: controls.find((c) => c.intent === intent)?.targetRisk ?? null,
          })),
        ]
      : controls;
    const current = stored?.policy ?? computeAutonomy(DEFAULT_ROUTING_POLICY, [], controls, this.settings).policy;
    return simulateAutonomy(DEFAULT_ROUTING_POLICY, current, samples, proposedControls, settings);
  }

  audit(): Promise<AdminAuditDto[]> {
    return this.policies.audit(100);
  }
}
