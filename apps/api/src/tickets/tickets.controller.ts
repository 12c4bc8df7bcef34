import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiNotFoundResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { IngestAccess, RateLimited, Users } from '../auth/access.decorators';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import { actorOf } from '../common/actor';
import {
  ApproveDto,
  ClaimDto,
  CreateTicketDto,
  DecisionResponseDto,
  EditDto,
  AwaitCustomerDto,
  EmptyDto,
  IngestResponseDto,
  NoteDto,
  ReassignDto,
  RejectDto,
  TicketBriefingDto,
} from './tickets.dto';
import { IngestMessage } from './ingest-message';
import { TicketsService } from './tickets.service';

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Makes a retry safe: the same key (per user and action) repeats the first answer and changes nothing more.',
};
const CONFLICT = {
  status: 409,
  description:
    'Rejected by the workflow: STALE_DRAFT_VERSION, TICKET_NOT_AWAITING_REVIEW, TICKET_CLOSED, TICKET_CLAIMED_BY_OTHER, NO_AUTO_SEND_PENDING.',
};
const UNPROCESSABLE = {
  status: 422,
  description: 'INVALID_DECISION: the workflow refused the content (e.g. reassign to the same queue).',
};
const NOT_FOUND = {
  description: 'TICKET_NOT_FOUND: no such ticket, or not in your queues (the same answer, on purpose).',
};

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
  async create(@Body() dto: CreateTicketDto, @Res({ passthrough: true }) res: Response): Promise<IngestResponseDto> {
    const { ticketId, workflowId, created } = await this.ingestMessage.execute(dto);
    res.status(created ? 201 : 200);
    return { ticketId, workflowId };
  }

  @Get(':ticketId')
  @Users()
  @ApiOperation({
    summary:
      'The briefing: thread, intents, sentiment, order, draft and version, confidence explained, reasons, SLA, audit.',
  })
  @ApiResponse({ status: 200, type: TicketBriefingDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@Param('ticketId') ticketId: string, @CurrentUser() user: UserPrincipal) {
    return this.tickets.briefing(ticketId, user);
  }

  @Post(':ticketId/actions/claim')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: 'Hold the ticket; others get 409 unless a supervisor takes it over (takeOver: true).' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiNotFoundResponse(NOT_FOUND)
  claim(
    @Param('ticketId') id: string,
    @Body() dto: ClaimDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.decide(user, id, 'claim', { actor: actorOf(user), takeOver: dto.takeOver === true }, key);
  }

  @Post(':ticketId/actions/approve')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: 'Approve the current draft; it is sent as the reply.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiNotFoundResponse(NOT_FOUND)
  approve(
    @Param('ticketId') id: string,
    @Body() dto: ApproveDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.decide(user, id, 'approve', { actor: actorOf(user), draftVersion: dto.draftVersion }, key);
  }

  @Post(':ticketId/actions/edit')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: "Send the agent's edited text instead of the draft." })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiResponse(UNPROCESSABLE)
  @ApiNotFoundResponse(NOT_FOUND)
  edit(
    @Param('ticketId') id: string,
    @Body() dto: EditDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
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
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: "Reject the draft: send the agent's own reply, or close without a reply." })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiResponse(UNPROCESSABLE)
  @ApiNotFoundResponse(NOT_FOUND)
  reject(
    @Param('ticketId') id: string,
    @Body() dto: RejectDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
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
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: 'Move the ticket to another queue (the claim is released).' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiResponse(UNPROCESSABLE)
  @ApiNotFoundResponse(NOT_FOUND)
  reassign(
    @Param('ticketId') id: string,
    @Body() dto: ReassignDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
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
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: 'Add an internal note to the audit trail.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(UNPROCESSABLE)
  @ApiNotFoundResponse(NOT_FOUND)
  note(
    @Param('ticketId') id: string,
    @Body() dto: NoteDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.decide(user, id, 'note', { actor: actorOf(user), text: dto.text }, key);
  }

  @Post(':ticketId/actions/cancel-auto-send')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({ summary: 'Stop a queued auto-reply during its undo window; the draft goes to review.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiNotFoundResponse(NOT_FOUND)
  cancelAutoSend(
    @Param('ticketId') id: string,
    @Body() _dto: EmptyDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.decide(user, id, 'cancel-auto-send', { actor: actorOf(user) }, key);
  }

  @Post(':ticketId/actions/await-customer')
  @HttpCode(200)
  @Users()
  @RateLimited('actions')
  @ApiOperation({
    summary: 'The ticket waits on the customer (e.g. for photos): its SLA clocks pause until they reply.',
  })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  @ApiNotFoundResponse(NOT_FOUND)
  awaitCustomer(
    @Param('ticketId') id: string,
    @Body() dto: AwaitCustomerDto,
    @CurrentUser() user: UserPrincipal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.decide(user, id, 'await-customer', { actor: actorOf(user), reason: dto.reason }, key);
  }
}
