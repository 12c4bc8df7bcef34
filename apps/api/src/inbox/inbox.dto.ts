import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { INTENTS, QUEUES, type Intent, type Priority, type Queue, type SlaState } from '../../../../libs/domain';
import { INBOX_STATUSES, type InboxStatus } from '../../../../libs/persistence';
import { CURSOR_PATTERN } from '../common/cursor';

const PRIORITIES: Priority[] = ['low', 'normal', 'high', 'urgent'];
const SLA_STATES: SlaState[] = ['ok', 'warning', 'breached', 'paused', 'met'];

/** `?queue=risk,standard` and `?queue=risk&queue=standard` both read as a list. */
const List = () =>
  Transform(({ value }) => {
    const values = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
    return values.map((v) => v.trim()).filter(Boolean);
  });

const listDoc = (values: readonly string[], description: string) =>
  ApiPropertyOptional({
    type: [String],
    enum: values,
    maxItems: values.length,
    description: `${description} Comma-separated or repeated.`,
  });

export class InboxQueryDto {
  @listDoc(QUEUES, 'Only these queues (within the ones you may see).')
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(QUEUES.length)
  @IsIn(QUEUES, { each: true })
  queue?: Queue[];

  @listDoc(INBOX_STATUSES, 'Default: awaiting_review and escalated.')
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(INBOX_STATUSES.length)
  @IsIn(INBOX_STATUSES, { each: true })
  status?: InboxStatus[];

  @listDoc(PRIORITIES, 'Only these priorities.')
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(PRIORITIES.length)
  @IsIn(PRIORITIES, { each: true })
  priority?: Priority[];

  @listDoc(SLA_STATES, 'Only these SLA states.')
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(SLA_STATES.length)
  @IsIn(SLA_STATES, { each: true })
  slaState?: SlaState[];

  @listDoc(INTENTS, 'Only tickets whose primary intent is one of these.')
  @IsOptional()
  @List()
  @IsArray()
  @ArrayMaxSize(INTENTS.length)
  @IsIn(INTENTS, { each: true })
  intent?: Intent[];

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.', pattern: CURSOR_PATTERN.source })
  @IsOptional()
  @IsString()
  @Matches(CURSOR_PATTERN, { message: 'cursor must be a nextCursor value' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class InboxSlaDto {
  @ApiProperty({ enum: SLA_STATES })
  state!: SlaState;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deadline!: string | null;
}

export class InboxItemDto {
  @ApiProperty({ format: 'uuid' })
  ticketId!: string;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  customerEmail!: string;

  @ApiProperty({ enum: INBOX_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['auto', 'review', 'escalate'] })
  route!: string | null;

  @ApiProperty({ enum: QUEUES })
  queue!: Queue;

  @ApiProperty({ type: String, nullable: true, enum: PRIORITIES })
  priority!: Priority | null;

  @ApiProperty({ type: String, nullable: true })
  claimedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  claimedByName!: string | null;

  @ApiProperty()
  escalated!: boolean;

  @ApiProperty({ type: InboxSlaDto })
  sla!: InboxSlaDto;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 1 })
  confidence!: number | null;

  @ApiProperty({ type: String, nullable: true, enum: INTENTS })
  primaryIntent!: Intent | null;

  @ApiProperty()
  draftVersion!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class InboxPageDto {
  @ApiProperty({
    type: [InboxItemDto],
    description: 'Most urgent SLA deadline first; tickets without a deadline last.',
  })
  items!: InboxItemDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;

  @ApiProperty({ enum: QUEUES, isArray: true, description: 'The queues this page was read from.' })
  queues!: Queue[];
}

export class QueueCountDto {
  @ApiProperty({ enum: QUEUES })
  queue!: Queue;

  @ApiProperty({ description: 'Tickets awaiting review or escalated.' })
  waiting!: number;

  @ApiProperty({ description: 'Of those, how many breached their SLA.' })
  breached!: number;
}
