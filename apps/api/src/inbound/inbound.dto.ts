import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { QUARANTINE_REASONS } from '../../../../libs/integrations/mail-inbound';
import { CURSOR_PATTERN } from '../common/cursor';

export const QUARANTINE_STATES = ['open', 'resolved', 'all'] as const;

export class InboundResultDto {
  @ApiProperty({ enum: ['accepted', 'quarantined'] })
  status!: 'accepted' | 'quarantined';

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Message-ID, or the key derived from headers and body when the message has none.',
  })
  messageKey?: string | null;

  @ApiPropertyOptional({ format: 'uuid' })
  ticketId?: string;

  @ApiPropertyOptional()
  workflowId?: string;

  @ApiPropertyOptional({ description: 'Joined an existing ticket thread.' })
  threaded?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Quarantined: the entry supervisors see.' })
  quarantineId?: string;

  @ApiPropertyOptional({ enum: QUARANTINE_REASONS })
  reason?: string;

  @ApiPropertyOptional()
  detail?: string;
}

export class QuarantineQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` cursor of the previous page.', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a next value' })
  cursor?: string;

  @ApiPropertyOptional({ enum: QUARANTINE_REASONS })
  @IsOptional()
  @IsIn(QUARANTINE_REASONS)
  reason?: string;

  @ApiPropertyOptional({
    enum: QUARANTINE_STATES,
    default: 'open',
    description: '`open`: waiting for a supervisor; `resolved`: released or discarded; `all`.',
  })
  @IsOptional()
  @IsIn(QUARANTINE_STATES)
  state?: (typeof QUARANTINE_STATES)[number];
}

export class DiscardQuarantineDto {
  @ApiProperty({ minLength: 1, maxLength: 1_000, description: 'Why the message is not taken in (kept on the entry).' })
  @IsString()
  @MinLength(1)
  @MaxLength(1_000)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class QuarantineReleaseDto {
  @ApiProperty({ enum: ['released'] }) status!: 'released';
  @ApiProperty({ format: 'uuid', description: 'The ticket the released message went to.' }) ticketId!: string;
}

export class QuarantineDiscardDto {
  @ApiProperty({ enum: ['discarded'] }) status!: 'discarded';
}

export class QuarantineItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: QUARANTINE_REASONS }) reason!: string;
  @ApiProperty({ description: 'Why, in words.' }) detail!: string;
  @ApiProperty({ format: 'date-time' }) quarantinedAt!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({
    enum: ['smtp', 'mime', 'postmark', 'api'],
    description: '`api`: a JSON message kept because it could not be taken in (its messageId was used before).',
  })
  channel!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ description: 'How many times these exact bytes were delivered.' }) deliveries!: number;
  @ApiProperty({ type: String, nullable: true }) messageId!: string | null;
  @ApiProperty({ type: String, nullable: true }) from!: string | null;
  @ApiProperty({ type: String, nullable: true }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true }) envelopeFrom!: string | null;
  @ApiProperty({ type: [String] }) envelopeTo!: string[];
  @ApiProperty({ description: 'GET this path for the raw message (message/rfc822).' }) rawPath!: string;
  @ApiProperty({ type: String, nullable: true, enum: ['released', 'discarded'] }) resolution!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'User id of who resolved it.' }) resolvedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) resolvedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was discarded.' }) resolutionReason!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) releasedTicketId!: string | null;
}

export class QuarantineListDto {
  @ApiProperty({ type: [QuarantineItemDto] }) items!: QuarantineItemDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last one.',
  })
  next!: string | null;
}
