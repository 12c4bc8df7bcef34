import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { QUEUES, type Queue } from '../../../../libs/domain';
import {
  API_KEY_SCOPES,
  PASSWORD_LIMITS,
  USER_ROLES,
  type ApiKeyScope,
  type UserRole,
} from '../../../../libs/persistence';

/** An API key's name; the same pattern validates and is published. */
const API_KEY_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export class CreateUserDto {
  @ApiProperty({ example: 'jo@example.com', format: 'email', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'Jo Agent', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiProperty({ minLength: PASSWORD_LIMITS.min, maxLength: PASSWORD_LIMITS.max, format: 'password' })
  @IsString()
  @MinLength(PASSWORD_LIMITS.min)
  @MaxLength(PASSWORD_LIMITS.max)
  password!: string;

  @ApiProperty({
    enum: QUEUES,
    isArray: true,
    maxItems: QUEUES.length,
    description: 'Queues the user works in (agents see only these).',
  })
  @IsArray()
  @ArrayMaxSize(QUEUES.length)
  @IsIn(QUEUES, { each: true })
  queues!: Queue[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES, description: 'Changing the role ends the user’s sessions.' })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: 'false disables the account and ends its sessions.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    minLength: PASSWORD_LIMITS.min,
    maxLength: PASSWORD_LIMITS.max,
    format: 'password',
    description: 'Ends the user’s sessions.',
  })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_LIMITS.min)
  @MaxLength(PASSWORD_LIMITS.max)
  password?: string;

  @ApiPropertyOptional({
    enum: QUEUES,
    isArray: true,
    maxItems: QUEUES.length,
    description: 'Replaces the memberships.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(QUEUES.length)
  @IsIn(QUEUES, { each: true })
  queues?: Queue[];
}

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ enum: QUEUES, isArray: true })
  queues!: Queue[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class QueueMemberDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;
}

export class QueueDto {
  @ApiProperty({ enum: QUEUES })
  queue!: Queue;

  @ApiProperty({
    type: [QueueMemberDto],
    description: 'Active members (supervisors and admins see every queue anyway).',
  })
  members!: QueueMemberDto[];

  @ApiProperty()
  waiting!: number;

  @ApiProperty()
  breached!: number;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'helpdesk-mail-bridge', pattern: API_KEY_NAME.source })
  @IsString()
  @Matches(API_KEY_NAME, { message: 'name may contain letters, digits, . _ - (at most 100)' })
  name!: string;

  @ApiPropertyOptional({
    enum: API_KEY_SCOPES,
    isArray: true,
    minItems: 1,
    maxItems: API_KEY_SCOPES.length,
    default: ['ingest'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: ApiKeyScope[];
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Public part of the key (slk_<keyId>.…).' })
  keyId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  scopes!: ApiKeyScope[];

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastUsedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  revokedAt!: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown once; store it in the integration’s secret store.' })
  token!: string;
}

export class RoutingConfigDto {
  @ApiProperty()
  policyVersion!: string;

  @ApiProperty()
  autoSendEnabled!: boolean;

  @ApiProperty()
  autoSendUndoSeconds!: number;

  @ApiProperty()
  reopenWindowSeconds!: number;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Where each routing reason sends a ticket.' })
  queues!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Auto-send and review thresholds per intent.',
  })
  thresholds!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'SLA policies, business calendars and escalation ladders.',
  })
  sla!: Record<string, unknown>;
}
