import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { presentTicket } from './ticket.presenter';
import { ApproveDto, CreateTicketDto, DecisionResponseDto, IngestResponseDto } from './tickets.dto';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @ApiOperation({ summary: 'Take in a customer message; starts one workflow per new ticket.' })
  @ApiResponse({ status: 201, type: IngestResponseDto, description: 'New ticket created and its workflow started.' })
  @ApiResponse({ status: 200, type: IngestResponseDto, description: 'This messageId was seen before: same answer, nothing new.' })
  async create(@Body() dto: CreateTicketDto, @Res({ passthrough: true }) res: Response): Promise<IngestResponseDto> {
    const { ticketId, workflowId, created } = await this.tickets.ingest(dto);
    res.status(created ? 201 : 200);
    return { ticketId, workflowId };
  }

  @Get(':ticketId')
  @ApiOperation({ summary: 'The ticket with its status, route, confidence, draft, briefing and thread.' })
  async get(@Param('ticketId') ticketId: string) {
    return presentTicket(await this.tickets.get(ticketId));
  }

  @Post(':ticketId/actions/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve the current draft; it is sent as the reply.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating a key repeats the first answer.' })
  @ApiResponse({ status: 200, type: DecisionResponseDto })
  @ApiResponse({ status: 409, description: 'STALE_DRAFT_VERSION, TICKET_NOT_AWAITING_REVIEW or TICKET_CLOSED.' })
  async approve(
    @Param('ticketId') ticketId: string,
    @Body() dto: ApproveDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<DecisionResponseDto> {
    return this.tickets.approve(ticketId, dto.draftVersion, 'api', idempotencyKey);
  }
}
