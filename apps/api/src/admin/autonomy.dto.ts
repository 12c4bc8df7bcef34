import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { INTENTS, type Intent } from '../../../../libs/domain';

const MODES = ['human', 'shadow', 'auto'] as const;

export class IntentAutonomyDto {
  @ApiProperty({ enum: INTENTS })
  intent!: Intent;

  @ApiProperty({ enum: MODES, description: 'human: never sends; shadow: would send, an agent reviews; auto: sends.' })
  mode!: (typeof MODES)[number];

  @ApiProperty({ type: Number, nullable: true, description: 'The auto-send threshold in force (auto mode).' })
  threshold!: number | null;

  @ApiProperty({ description: 'The share of wrong automatic replies the intent may risk.' })
  targetRisk!: number;

  @ApiProperty()
  pinnedHuman!: boolean;

  @ApiProperty({ description: 'Decided outcomes the bound is over (at or above the threshold when one is earned).' })
  outcomes!: number;

  @ApiProperty()
  wrong!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'One-sided 95 % Clopper–Pearson upper bound.' })
  upperBound!: number | null;

  @ApiProperty()
  reason!: string;
}

export class AutonomySettingsDto {
  @ApiProperty()
  targetRisk!: number;

  @ApiProperty()
  minOutcomes!: number;

  @ApiProperty()
  maxEditDistance!: number;

  @ApiProperty()
  recomputeSeconds!: number;
}

export class AutonomyViewDto {
  @ApiProperty({
    enum: ['earned', 'fixed'],
    description: 'earned: the policy below routes; fixed: the fixed thresholds do (ROUTING_AUTONOMY).',
  })
  autonomy!: 'earned' | 'fixed';

  @ApiProperty({ type: Number, nullable: true, description: 'Null before the first recompute stored a policy.' })
  version!: number | null;

  @ApiProperty({ description: 'The policy name tickets record as their routing policy version.' })
  name!: string;

  @ApiProperty({ type: String, nullable: true })
  reason!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  createdAt!: string | null;

  @ApiProperty({ type: AutonomySettingsDto })
  settings!: AutonomySettingsDto;

  @ApiProperty({ type: [IntentAutonomyDto] })
  intents!: IntentAutonomyDto[];
}

export class UpdateIntentControlDto {
  @ApiPropertyOptional({ description: 'true keeps the intent with people, whatever the evidence.' })
  @IsOptional()
  @IsBoolean()
  pinnedHuman?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 0.001,
    maximum: 0.2,
    description: 'The intent’s own target risk; null returns to the default.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(0.2)
  targetRisk?: number | null;
}

export class SimulateDto {
  @ApiPropertyOptional({ minimum: 0.001, maximum: 0.2 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.001)
  @Max(0.2)
  targetRisk?: number;

  @ApiPropertyOptional({ minimum: 10, maximum: 100000 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(100_000)
  minOutcomes?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  maxEditDistance?: number;

  @ApiPropertyOptional({ enum: INTENTS, isArray: true, maxItems: INTENTS.length })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(INTENTS.length)
  @IsIn(INTENTS, { each: true })
  pinnedHuman?: Intent[];
}

export class SimulationFiguresDto {
  @ApiProperty()
  autoShare!: number;

  @ApiProperty()
  unsafeShare!: number;

  @ApiProperty()
  autoSent!: number;

  @ApiProperty()
  unsafe!: number;
}

class IntentEffectSideDto {
  @ApiProperty({ enum: MODES })
  mode!: (typeof MODES)[number];

  @ApiProperty({ type: Number, nullable: true })
  threshold!: number | null;

  @ApiProperty()
  autoSent!: number;

  @ApiProperty()
  unsafe!: number;
}

export class IntentEffectDto {
  @ApiProperty({ enum: INTENTS })
  intent!: Intent;

  @ApiProperty()
  outcomes!: number;

  @ApiProperty({ type: IntentEffectSideDto })
  current!: IntentEffectSideDto;

  @ApiProperty({ type: IntentEffectSideDto })
  proposed!: IntentEffectSideDto;
}

export class SimulationDto {
  @ApiProperty({ description: 'Decided outcomes replayed.' })
  outcomes!: number;

  @ApiProperty({ type: SimulationFiguresDto })
  current!: SimulationFiguresDto;

  @ApiProperty({ type: SimulationFiguresDto })
  proposed!: SimulationFiguresDto;

  @ApiProperty({ type: [IntentEffectDto] })
  intents!: IntentEffectDto[];

  @ApiProperty({ type: [IntentAutonomyDto] })
  proposedIntents!: IntentAutonomyDto[];
}

export class PolicyRecomputedDto {
  @ApiProperty()
  version!: number;

  @ApiProperty()
  name!: string;

  @ApiProperty({ description: 'False when the evidence changed nothing.' })
  changed!: boolean;
}

export class AdminAuditDto {
  @ApiProperty()
  actor!: string;

  @ApiProperty()
  action!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  before!: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  after!: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}
