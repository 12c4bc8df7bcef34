import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../../../workflows/ticket/ticket.messages';
import { CurrentActor } from '../common/actor';
import { presentTicket } from './ticket.presenter';
import {
  ApproveDto,
  ClaimDto,
  CreateTicketDto,
  DecisionResponseDto,
  EditDto,
  EmptyDto,
  IngestResponseDto,
  NoteDto,
  ReassignDto,
  RejectDto,
} from './tickets.dto';
import { TicketsService } from './tickets.service';

const IDEMPOTENCY = { name: 'Idempotency-Key', required: false, description: 'The Update id: repeating a key repeats the first answer.' };
const CONFLICT = { status: 409, description: 'Rejected by the workflow: STALE_DRAFT_VERSION, TICKET_NOT_AWAITING_REVIEW, TICKET_CLOSED, TICKET_CLAIMED_BY_OTHER, NO_AUTO_SEND_PENDING.' };

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @ApiOperation({ summary: 'Take in a customer message: a new ticket, or a reply joining its open thread.' })
  @ApiResponse({ status: 201, type: IngestResponseDto, description: 'Stored and handed to the ticket workflow.' })
  @ApiResponse({ status: 200, type: IngestResponseDto, description: 'This messageId was seen before: same answer, nothing new.' })
  async create(@Body() dto: CreateTicketDto, @Res({ passthrough: true }) res: Response): Promise<IngestResponseDto> {
    const { ticketId, workflowId, created } = await this.tickets.ingest(dto);
    res.status(created ? 201 : 200);
    return { ticketId, workflowId };
  }

  @Get(':ticketId')
  @ApiOperation({ summary: 'The ticket and its briefing: thread, intents, sentiment, order, draft, confidence, reasons, audit.' })
  async get(@Param('ticketId') ticketId: string) {
    return presentTicket(await this.tickets.get(ticketId));
  }

  @Post(':ticketId/actions/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hold the ticket; others get 409 unless a supervisor takes it over.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  claim(@Param('ticketId') id: string, @Body() dto: ClaimDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'claim', { actor, takeOver: dto.takeOver === true }, key);
  }

  @Post(':ticketId/actions/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the current draft; it is sent as the reply.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  approve(@Param('ticketId') id: string, @Body() dto: ApproveDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'approve', { actor, draftVersion: dto.draftVersion }, key);
  }

  @Post(':ticketId/actions/edit')
  @HttpCode(200)
  @ApiOperation({ summary: "Send the agent's edited text instead of the draft." })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  edit(@Param('ticketId') id: string, @Body() dto: EditDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'edit', { actor, draftVersion: dto.draftVersion, text: dto.text }, key);
  }

  @Post(':ticketId/actions/reject')
  @HttpCode(200)
  @ApiOperation({ summary: "Reject the draft: send the agent's own reply, or close without a reply." })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  reject(@Param('ticketId') id: string, @Body() dto: RejectDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'reject', { actor, reason: dto.reason, ...(dto.reply ? { reply: dto.reply } : {}) }, key);
  }

  @Post(':ticketId/actions/reassign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the ticket to another queue.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  reassign(@Param('ticketId') id: string, @Body() dto: ReassignDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'reassign', { actor, queue: dto.queue, reason: dto.reason }, key);
  }

  @Post(':ticketId/actions/note')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an internal note to the audit trail.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  note(@Param('ticketId') id: string, @Body() dto: NoteDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'note', { actor, text: dto.text }, key);
  }

  @Post(':ticketId/actions/cancel-auto-send')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop a queued auto-reply during its undo window; the draft goes to review.' })
  @ApiHeader(IDEMPOTENCY)
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse(CONFLICT)
  cancelAutoSend(@Param('ticketId') id: string, @Body() _dto: EmptyDto, @CurrentActor() actor: Actor, @Headers('idempotency-key') key?: string) {
    return this.tickets.decide(id, 'cancel-auto-send', { actor }, key);
  }
}
