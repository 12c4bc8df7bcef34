import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { QUEUES, type Queue } from '../../../../libs/domain';
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

export class SenderDto {
  @ApiProperty({ example: 'maria@example.com', maxLength: 320 })
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
  @ApiProperty({ description: 'RFC 5322 Message-ID; the same id again is the same message.', example: '<a1b2@mail.example.com>', maxLength: 998 })
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

  @ApiProperty({ description: 'Plain-text body of the message.', maxLength: 100_000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100_000)
  text!: string;

  @ApiPropertyOptional({ description: 'Sanitized for display by the inbox; the text is what gets classified.', maxLength: 200_000 })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  html?: string;

  @ApiPropertyOptional({ description: 'Message-ID this message replies to; threads it onto an open ticket.', maxLength: 998 })
  @IsOptional()
  @IsString()
  @MaxLength(998)
  inReplyTo?: string;

  @ApiPropertyOptional({ type: [String], description: 'Message-IDs of the thread (References header).', maxItems: 100 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(998, { each: true })
  references?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the mail system received the message (default: now).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Append to this ticket (e.g. from a ticket token in the subject).' })
  @IsOptional()
  @IsUUID()
  ticketId?: string;

  @ApiPropertyOptional({ example: 'SL-10001', maxLength: 64 })
  @IsOptional()
  @IsString()
  @Matches(/^[#A-Za-z0-9-]{1,64}$/, { message: 'orderNumber may contain letters, digits, # and - (at most 64)' })
  orderNumber?: string;
}

export class IngestResponseDto {
  @ApiProperty({ format: 'uuid' })
  ticketId!: string;

  @ApiProperty({ example: 'ticket-6f1c…' })
  workflowId!: string;
}

export class ApproveDto {
  @ApiProperty({ description: 'The draft version the agent reviewed; must be the current one.', minimum: 1 })
  @IsInt()
  @Min(1)
  draftVersion!: number;
}

export class EditDto extends ApproveDto {
  @ApiProperty({ description: "The agent's reply, sent instead of the draft.", maxLength: LIMITS.replyChars })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.replyChars)
  text!: string;
}

export class RejectDto {
  @ApiProperty({ description: 'Why the draft is rejected (kept in the audit trail, fed back to triage).', maxLength: LIMITS.reasonChars })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reasonChars)
  reason!: string;

  @ApiPropertyOptional({ description: "The agent's own reply; without it the ticket closes with no reply.", maxLength: LIMITS.replyChars })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.replyChars)
  reply?: string;
}

export class ClaimDto {
  @ApiPropertyOptional({ description: 'Supervisors only: take over a ticket another agent holds.' })
  @IsOptional()
  @IsIn([true, false])
  takeOver?: boolean;
}

export class ReassignDto {
  @ApiProperty({ enum: QUEUES })
  @IsIn(QUEUES)
  queue!: Queue;

  @ApiProperty({ maxLength: LIMITS.reasonChars })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.reasonChars)
  reason!: string;
}

export class NoteDto {
  @ApiProperty({ maxLength: LIMITS.noteChars })
  @IsString()
  @IsNotEmpty()
  @MaxLength(LIMITS.noteChars)
  text!: string;
}

export class EmptyDto {}

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
