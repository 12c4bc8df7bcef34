import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { INTENTS, QUEUES, TICKET_STATUSES, type Intent, type Queue } from '../../../../libs/domain';
import { LIMITS } from '../../../../workflows/ticket/ticket.messages';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsISO8601,
  IsUUID,
  IsEmail,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const ORDER_NUMBER = /^[#A-Za-z0-9-]{1,64}$/;

/**
 * Text the ticket workflow trims and would refuse when nothing is left: it must hold a character that
 * String.prototype.trim keeps. Checked here, so such a request never reaches the workflow; spelled out, so every
 * regex dialect reads the published pattern the same way.
 */
const NOT_BLANK = /[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const notBlank = () => Matches(NOT_BLANK, { message: ({ property }) => `${property} must not be blank` });

/**
 * RFC 3339 timestamps with an upper-case T and a time zone, seconds 00-59, years from 1000: what both the ISO 8601
 * check and JavaScript's Date read (the published format is date-time, this pattern narrows it).
 */
const TIMESTAMP = /^[1-9]\d{3}-\d\d-\d\dT\d\d:\d\d:[0-5]\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export class SenderDto {
  @ApiProperty({ example: 'maria@example.com', format: 'email', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({ example: 'Maria Rossi', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class CreateTicketDto {
  @ApiProperty({
    description: 'RFC 5322 Message-ID; the same id again is the same message.',
    example: '<a1b2@mail.example.com>',
    minLength: 1,
    maxLength: 998,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(998)
  messageId!: string;

  @ApiProperty({ type: SenderDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SenderDto)
  from!: SenderDto;

  @ApiProperty({ example: 'Where is my order?', maxLength: 998 })
  @IsString()
  @MaxLength(998)
  subject!: string;

  @ApiProperty({ description: 'Plain-text body of the message.', minLength: 1, maxLength: 100_000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100_000)
  text!: string;

  @ApiPropertyOptional({
    description: 'Sanitized for display by the inbox; the text is what gets classified.',
    maxLength: 200_000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  html?: string;

  @ApiPropertyOptional({
    description: 'Message-ID this message replies to; threads it onto an open ticket.',
    maxLength: 998,
  })
  @IsOptional()
  @IsString()
  @MaxLength(998)
  inReplyTo?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 998 },
    description: 'Message-IDs of the thread (References header).',
    maxItems: 100,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(998, { each: true })
  references?: string[];

  @ApiPropertyOptional({
    format: 'date-time',
    pattern: TIMESTAMP.source,
    example: '2026-12-01T10:00:00Z',
    description: 'When the mail system received the message (default: now).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(TIMESTAMP, { message: 'receivedAt must be an RFC 3339 timestamp such as 2026-12-01T10:00:00Z' })
  receivedAt?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Append to this ticket (e.g. from a ticket token in the subject).',
  })
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @ApiPropertyOptional({ example: 'SL-10001', pattern: ORDER_NUMBER.source })
  @IsOptional()
  @IsString()
  @Matches(ORDER_NUMBER, { message: 'orderNumber may contain letters, digits, # and - (at most 64)' })
  orderNumber?: string;
}

export class IngestResponseDto {
  @ApiProperty({ format: 'uuid' })
  ticketId!: string;

  @ApiProperty({ example: 'ticket-6f1c…' })
  workflowId!: string;
}

export class ApproveDto {
  @ApiProperty({
    type: 'integer',
    description: 'The draft version the agent reviewed; must be the current one.',
    minimum: 1,
  })
  @IsInt()
  @Min(1)
  draftVersion!: number;
}

export class EditDto extends ApproveDto {
  @ApiProperty({
    description: "The agent's reply, sent instead of the draft.",
    minLength: 1,
    pattern: NOT_BLANK.source,
    maxLength: LIMITS.replyChars,
  })
  @IsString()
  @IsNotEmpty()
  @notBlank()
  @MaxLength(LIMITS.replyChars)
  text!: string;
}

export class RejectDto {
  @ApiProperty({
    description: 'Why the draft is rejected (kept in the audit trail, fed back to triage).',
    minLength: 1,
    pattern: NOT_BLANK.source,
    maxLength: LIMITS.reasonChars,
  })
  @IsString()
  @IsNotEmpty()
  @notBlank()
  @MaxLength(LIMITS.reasonChars)
  reason!: string;

  @ApiPropertyOptional({
    description: "The agent's own reply; without it the ticket closes with no reply.",
    maxLength: LIMITS.replyChars,
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.replyChars)
  reply?: string;
}

export class ClaimDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Supervisors only: take over a ticket another agent holds.' })
  @IsOptional()
  @IsIn([true, false])
  takeOver?: boolean;
}

export class ReassignDto {
  @ApiProperty({ enum: QUEUES })
  @IsIn(QUEUES)
  queue!: Queue;

  @ApiProperty({ minLength: 1, maxLength: LIMITS.reasonChars })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reasonChars)
  reason!: string;
}

export class NoteDto {
  @ApiProperty({ minLength: 1, maxLength: LIMITS.noteChars, pattern: NOT_BLANK.source })
  @IsString()
  @IsNotEmpty()
  @notBlank()
  @MaxLength(LIMITS.noteChars)
  text!: string;
}

export class EmptyDto {}

export class AwaitCustomerDto {
  @ApiProperty({
    description: 'What the ticket waits for, e.g. "photos of the damage".',
    minLength: 1,
    pattern: NOT_BLANK.source,
    maxLength: LIMITS.reasonChars,
  })
  @IsString()
  @IsNotEmpty()
  @notBlank()
  @MaxLength(LIMITS.reasonChars)
  reason!: string;
}

export class DecisionResponseDto {
  @ApiProperty()
  status!: string;

  @ApiProperty()
  draftVersion!: number;

  @ApiProperty({ nullable: true, type: String })
  claimedBy!: string | null;

  @ApiProperty({ nullable: true, type: String })
  queue!: string | null;
}

// ---- The briefing (GET /tickets/:id), for the OpenAPI document ------------------------------------------------

const OBJECT = { type: 'object', additionalProperties: true } as const;

export class SlaDto {
  @ApiProperty({ enum: ['ok', 'warning', 'breached', 'paused', 'met'] })
  state!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next reply is due.' })
  deadline!: string | null;
}

export class DraftDto {
  @ApiProperty({ description: 'Send this number back with approve/edit; a newer draft makes it stale.' })
  version!: number;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  body!: string;

  @ApiProperty({ ...OBJECT, description: 'passed, and the findings of the draft self-check.' })
  selfCheck!: Record<string, unknown>;
}

export class ConfidenceComponentDto {
  @ApiProperty({ enum: ['classification', 'dataCompleteness', 'draftSelfCheck', 'multiIssue', 'sentiment'] })
  key!: string;

  @ApiProperty({ example: 'Facts available' })
  label!: string;

  @ApiProperty({ minimum: 0, maximum: 1 })
  score!: number;

  @ApiProperty({ description: 'What the score means, in plain words.' })
  meaning!: string;
}

export class BriefingConfidenceDto {
  @ApiProperty({ minimum: 0, maximum: 1 })
  score!: number;

  @ApiProperty({ example: 'Moderate confidence (64 %)' })
  inWords!: string;

  @ApiProperty({ type: [ConfidenceComponentDto] })
  components!: ConfidenceComponentDto[];

  @ApiProperty({ type: [String], description: 'What lowered the score.' })
  concerns!: string[];
}

export class FlagDto {
  @ApiProperty({ example: 'frustration' })
  code!: string;

  @ApiProperty({ example: 'Frustrated' })
  label!: string;

  @ApiProperty({ type: [String] })
  evidence!: string[];
}

export class ReasonDto {
  @ApiProperty({ example: 'vip_customer' })
  code!: string;

  @ApiProperty()
  detail!: string;

  @ApiProperty({ type: [String] })
  evidence!: string[];
}

export class BriefingDto {
  @ApiProperty({ description: 'One sentence to read first: why the ticket is here.' })
  summary!: string;

  @ApiProperty({ example: 'return_request' })
  primaryIntent!: string;

  @ApiProperty({ example: 'return request' })
  primaryIntentLabel!: string;

  @ApiProperty({ type: 'array', items: OBJECT, description: 'Intents with confidence, evidence and label.' })
  intents!: Record<string, unknown>[];

  @ApiProperty({ type: [FlagDto], description: 'Frustration, urgency, negative tone and classifier flags.' })
  sentimentFlags!: FlagDto[];

  @ApiProperty({ description: 'A first line for the reply.' })
  suggestedOpening!: string;

  @ApiProperty({ type: BriefingConfidenceDto })
  confidence!: BriefingConfidenceDto;

  @ApiProperty({ type: [ReasonDto], description: 'Why the ticket was routed here.' })
  reasons!: ReasonDto[];

  @ApiProperty({ ...OBJECT, description: 'route, queue, priority and routing policy version.' })
  routing!: Record<string, unknown>;

  @ApiProperty()
  orderFound!: boolean;

  @ApiProperty({ type: Boolean, nullable: true })
  draftSelfCheckPassed!: boolean | null;
}

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true })
  filename!: string | null;

  @ApiProperty({ description: 'As the customer’s mail declared it.' })
  contentType!: string;

  @ApiProperty({ type: 'integer', description: 'Bytes.' })
  size!: number;

  @ApiProperty({ description: 'Embedded in the message (an inline image), not attached.' })
  inline!: boolean;

  @ApiProperty({ description: 'False when it was over the size limit: only this description was kept.' })
  available!: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'GET it here, with the same credentials.' })
  path!: string | null;
}

export class ThreadMessageDto {
  @ApiProperty()
  messageId!: string;

  @ApiProperty({ enum: ['inbound', 'outbound'] })
  direction!: string;

  @ApiProperty({
    enum: ['message', 'acknowledgement'],
    description: '`acknowledgement`: the note telling the customer a person has their request (it answers nothing).',
  })
  kind!: string;

  @ApiProperty({ ...OBJECT, nullable: true, description: 'email and name of the customer (inbound only).' })
  from!: Record<string, unknown> | null;

  @ApiProperty()
  subject!: string;

  @ApiProperty({ description: 'Plain text.' })
  text!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The customer HTML, sanitized on the server: formatting only, no script, handler, style, image or remote content.',
  })
  html!: string | null;

  @ApiProperty({ format: 'date-time' })
  receivedAt!: string;

  @ApiProperty({ type: [AttachmentDto] })
  attachments!: AttachmentDto[];
}

export class AuditEntryDto {
  @ApiProperty({ description: 'User id, or `system`.' })
  actor!: string;

  @ApiProperty({ type: String, nullable: true })
  actorName!: string | null;

  @ApiProperty({ example: 'approve' })
  action!: string;

  @ApiProperty({ ...OBJECT, nullable: true })
  before!: Record<string, unknown> | null;

  @ApiProperty({ ...OBJECT, nullable: true })
  after!: Record<string, unknown> | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

export class AcknowledgementDto {
  @ApiProperty({
    enum: ['sent', 'pending', 'none'],
    description:
      '`sent`: the customer was told a person has their request; `pending`: they will be, unless someone replies ' +
      'first (`text` previews it); `none`: acknowledgements are off, the ticket is answered or not with a person, ' +
      "or the sender's address failed authentication.",
  })
  status!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  at!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'What the customer reads (or will read).' })
  text!: string | null;
}

export class TicketBriefingDto {
  @ApiProperty({ format: 'uuid' })
  ticketId!: string;

  @ApiProperty()
  workflowId!: string;

  @ApiProperty({ enum: TICKET_STATUSES })
  status!: string;

  @ApiProperty({ type: String, nullable: true, enum: ['auto', 'review', 'escalate'] })
  route!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: QUEUES })
  queue!: string | null;

  @ApiProperty({ type: String, nullable: true, enum: ['low', 'normal', 'high', 'urgent'] })
  priority!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'User id of the agent holding the ticket.' })
  claimedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  claimedByName!: string | null;

  @ApiProperty()
  escalated!: boolean;

  @ApiProperty({ type: SlaDto })
  sla!: SlaDto;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  parentTicketId!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['thread_sender_mismatch', 'closed_ticket_reply'],
    description:
      'Why the ticket is linked to its parent instead of part of it: the message named the parent (by reply headers, ' +
      'ticket id or subject token) but came from another address, or it answered a closed ticket.',
  })
  linkReason!: string | null;

  @ApiProperty()
  subject!: string;

  @ApiProperty()
  customerEmail!: string;

  @ApiProperty({ ...OBJECT, nullable: true, description: 'score, components and concerns.' })
  confidence!: Record<string, unknown> | null;

  @ApiProperty({ type: DraftDto, nullable: true })
  draft!: DraftDto | null;

  @ApiProperty()
  draftVersion!: number;

  @ApiProperty({
    ...OBJECT,
    nullable: true,
    description: 'The routing decision: route, queue, priority, reasons, explanation.',
  })
  decision!: Record<string, unknown> | null;

  @ApiProperty({ ...OBJECT, nullable: true, description: 'Intents, sentiment and language.' })
  classification!: Record<string, unknown> | null;

  @ApiProperty({ ...OBJECT, nullable: true, description: 'The order snapshot the draft relies on.' })
  order!: Record<string, unknown> | null;

  @ApiProperty({ type: BriefingDto, nullable: true })
  briefing!: BriefingDto | null;

  @ApiProperty({ type: AcknowledgementDto })
  acknowledgement!: AcknowledgementDto;

  @ApiProperty({ type: [ThreadMessageDto] })
  thread!: ThreadMessageDto[];

  @ApiProperty({ type: [AuditEntryDto] })
  audit!: AuditEntryDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  closedAt!: string | null;
}

export class CorrectIntentDto {
  @ApiProperty({ enum: INTENTS, description: 'What the customer really asked for.' })
  @IsIn(INTENTS)
  intent!: Intent;
}

export class IntentCorrectionDto {
  @ApiProperty({ enum: INTENTS, description: 'The intent the ticket was routed under.' })
  intent!: Intent;

  @ApiProperty({ enum: INTENTS })
  correctedIntent!: Intent;

  @ApiProperty({ description: 'The draft version the correction applies to.' })
  draftVersion!: number;
}
