import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ErrorCode } from '../../../../libs/domain';
import { requestLogContext } from '../../../../libs/observability';
import { IngestAccess, RateLimited, Users } from '../auth/access.decorators';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import { actorOf } from '../common/actor';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { IdempotencyKey, IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';
import { IngestMessage } from './ingest-message';
import {
  ApproveDto,
  AwaitCustomerDto,
  ClaimDto,
  CorrectIntentDto,
  CreateTicketDto,
  DecisionResponseDto,
  EditDto,
  EmptyDto,
  IngestResponseDto,
  IntentCorrectionDto,
  NoteDto,
  ReassignDto,
  RejectDto,
  TicketBriefingDto,
} from './tickets.dto';
import { TicketsService } from './tickets.service';

const TICKET_ID = ApiParam({ name: 'ticketId', format: 'uuid', description: 'Any other value names no ticket (404).' });

/**
 * An agent decision: a workflow Update behind the visibility check, rate-limited per user, idempotent by
 * Idempotency-Key. `rejections` are the workflow's answers this decision can get (409/422).
 */
const Decision = (summary: string, ...rejections: ErrorCode[]) =>
  applyDecorators(
    HttpCode(200),
    Users(),
    RateLimited('actions'),
    ApiOperation({ summary }),
    TICKET_ID,
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: the same key (per user and action) repeats the first answer and changes nothing more.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
    }),
    ApiResponse({ status: 200, type: DecisionResponseDto, description: 'The workflow accepted the decision.' }),
    // A decision on a ticket whose workflow has finished is answered TICKET_CLOSED, whatever the decision.
    ApiErrors(...JSON_BODY_ERRORS, 'TICKET_NOT_FOUND', 'TICKET_CLOSED', ...rejections),
  );

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly ingestMessage: IngestMessage,
  ) {}

  @Post()
  @IngestAccess()
  @ApiOperation({
    summary: 'Take in a customer message: a new ticket, or a reply joining its open thread. Ingest API key or admin.',
  })
  @ApiResponse({ status: 201, type: IngestResponseDto, description: 'Stored and handed to the ticket workflow.' })
  @ApiResponse({
    status: 200,
    type: IngestResponseDto,
    description: 'This messageId was seen before: same answer, nothing new.',
  })
  @ApiErrors(...JSON_BODY_ERRORS, 'MESSAGE_ID_CONFLICT', 'WORKFLOW_UNAVAILABLE', 'STORAGE_UNAVAILABLE')
  async create(@Body() dto: CreateTicketDto, @Res({ passthrough: true }) res: Response): Promise<IngestResponseDto> {
    const { ticketId, workflowId, created } = await this.ingestMessage.execute(dto);
    Object.assign(requestLogContext(res.req), { ticketId, workflowId });
    res.status(created ? 201 : 200);
    return { ticketId, workflowId };
  }

  @Get(':ticketId')
  @Users()
  @ApiOperation({
    summary:
      'The briefing: thread, intents, sentiment, order, draft and version, confidence explained, reasons, SLA, audit.',
  })
  @TICKET_ID
  @ApiResponse({ status: 200, type: TicketBriefingDto })
  @ApiErrors('TICKET_NOT_FOUND')
  get(@Param('ticketId') ticketId: string, @CurrentUser() user: UserPrincipal) {
    return this.tickets.briefing(ticketId, user);
  }

  @Post(':ticketId/intent')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({
    summary:
      'Mark the intent wrong and name the right one: recorded on the routed draft as evidence (the ticket keeps its course).',
  })
  @TICKET_ID
  @ApiResponse({ status: 200, type: IntentCorrectionDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'TICKET_NOT_FOUND', 'NO_ROUTED_DRAFT')
  correctIntent(
    @Param('ticketId') ticketId: string,
    @Body() dto: CorrectIntentDto,
    @CurrentUser() user: UserPrincipal,
  ): Promise<IntentCorrectionDto> {
    return this.tickets.correctIntent(ticketId, dto.intent, user);
  }

  @Get(':ticketId/attachments/:attachmentId')
  @Users()
  @ApiOperation({
    summary:
      "A customer's attachment, as a download. Images, PDF and plain text keep their type (thumbnails fetch them " +
      'with the same credentials); anything else is application/octet-stream.',
  })
  @TICKET_ID
  @ApiParam({ name: 'attachmentId', format: 'uuid', description: 'Any other value names no attachment (404).' })
  @ApiResponse({
    status: 200,
    description: 'The content, with Content-Disposition: attachment and X-Content-Type-Options: nosniff.',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors('TICKET_NOT_FOUND', 'ATTACHMENT_NOT_FOUND')
  async attachment(
    @Param('ticketId') ticketId: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() user: UserPrincipal,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.tickets.attachment(ticketId, attachmentId, user);
    res
      .status(200)
      .type(file.contentType)
      .setHeader('Content-Disposition', contentDisposition(file.filename))
      .setHeader('X-Content-Type-Options', 'nosniff')
      .setHeader('Cache-Control', 'private, no-store')
      .setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
      .send(file.content);
  }

  @Post(':ticketId/actions/claim')
  @Decision(
    'Hold the ticket; others get 409 unless a supervisor takes it over (takeOver: true).',
    'TICKET_NOT_AWAITING_REVIEW',
    'TICKET_CLAIMED_BY_OTHER',
  )
  @ApiBody({ type: ClaimDto, required: false })
  claim(
    @Param('ticketId') id: string,
    @Body() dto: ClaimDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(user, id, 'claim', { actor: actorOf(user), takeOver: dto.takeOver === true }, key);
  }

  @Post(':ticketId/actions/approve')
  @Decision(
    'Approve the current draft; it is sent as the reply.',
    'TICKET_NOT_AWAITING_REVIEW',
    'TICKET_CLAIMED_BY_OTHER',
    'STALE_DRAFT_VERSION',
  )
  approve(
    @Param('ticketId') id: string,
    @Body() dto: ApproveDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(user, id, 'approve', { actor: actorOf(user), draftVersion: dto.draftVersion }, key);
  }

  @Post(':ticketId/actions/edit')
  @Decision(
    "Send the agent's edited text instead of the draft.",
    'TICKET_NOT_AWAITING_REVIEW',
    'TICKET_CLAIMED_BY_OTHER',
    'STALE_DRAFT_VERSION',
    'INVALID_DECISION',
  )
  edit(
    @Param('ticketId') id: string,
    @Body() dto: EditDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(
      user,
      id,
      'edit',
      { actor: actorOf(user), draftVersion: dto.draftVersion, text: dto.text },
      key,
    );
  }

  @Post(':ticketId/actions/reject')
  @Decision(
    "Reject the draft: send the agent's own reply, or close without a reply.",
    'TICKET_NOT_AWAITING_REVIEW',
    'TICKET_CLAIMED_BY_OTHER',
    'INVALID_DECISION',
  )
  reject(
    @Param('ticketId') id: string,
    @Body() dto: RejectDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(
      user,
      id,
      'reject',
      { actor: actorOf(user), reason: dto.reason, ...(dto.reply ? { reply: dto.reply } : {}) },
      key,
    );
  }

  @Post(':ticketId/actions/reassign')
  @Decision('Move the ticket to another queue (the claim is released).', 'TICKET_CLAIMED_BY_OTHER', 'INVALID_DECISION')
  reassign(
    @Param('ticketId') id: string,
    @Body() dto: ReassignDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(
      user,
      id,
      'reassign',
      { actor: actorOf(user), queue: dto.queue, reason: dto.reason },
      key,
    );
  }

  @Post(':ticketId/actions/note')
  @Decision('Add an internal note to the audit trail.', 'INVALID_DECISION')
  note(
    @Param('ticketId') id: string,
    @Body() dto: NoteDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(user, id, 'note', { actor: actorOf(user), text: dto.text }, key);
  }

  @Post(':ticketId/actions/cancel-auto-send')
  @Decision('Stop a queued auto-reply during its undo window; the draft goes to review.', 'NO_AUTO_SEND_PENDING')
  @ApiBody({ type: EmptyDto, required: false })
  cancelAutoSend(
    @Param('ticketId') id: string,
    @Body() _dto: EmptyDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(user, id, 'cancel-auto-send', { actor: actorOf(user) }, key);
  }

  @Post(':ticketId/actions/await-customer')
  @Decision(
    'The ticket waits on the customer (e.g. for photos): its SLA clocks pause until they reply.',
    'TICKET_NOT_AWAITING_REVIEW',
    'TICKET_CLAIMED_BY_OTHER',
    'INVALID_DECISION',
  )
  awaitCustomer(
    @Param('ticketId') id: string,
    @Body() dto: AwaitCustomerDto,
    @CurrentUser() user: UserPrincipal,
    @IdempotencyKey() key?: string,
  ) {
    return this.tickets.decide(user, id, 'await-customer', { actor: actorOf(user), reason: dto.reason }, key);
  }
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266), the name reduced to safe characters in the plain form. */
function contentDisposition(filename: string): string {
  const plain = filename.replace(/[^\w.\- ]/g, '_').slice(0, 150) || 'attachment';
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(filename.slice(0, 200))}`;
}
