import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Users } from '../auth/access.decorators';
import { ApiErrors } from '../common/api-errors';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import { InboxPageDto, InboxQueryDto, QueueCountDto } from './inbox.dto';
import { InboxService } from './inbox.service';
import { InboxStreamService } from './inbox-stream.service';

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly streams: InboxStreamService,
  ) {}

  @Get()
  @Users()
  @ApiOperation({
    summary: 'Tickets awaiting a person in your queues, most urgent SLA deadline first.',
    description:
      'Keyset pagination on (SLA deadline, ticket id): pass nextCursor as cursor. Tickets inserted or changed while ' +
      'you page never repeat or shift what you already saw. Agents see their queues; supervisors and admins all.',
  })
  @ApiResponse({ status: 200, type: InboxPageDto })
  @ApiErrors('VALIDATION_FAILED')
  list(@CurrentUser() user: UserPrincipal, @Query() query: InboxQueryDto): Promise<InboxPageDto> {
    return this.inbox.page(user, query);
  }

  @Get('counts')
  @Users()
  @ApiOperation({ summary: 'Waiting and SLA-breached tickets per queue you may see.' })
  @ApiResponse({ status: 200, type: [QueueCountDto] })
  counts(@CurrentUser() user: UserPrincipal): Promise<QueueCountDto[]> {
    return this.inbox.counts(user);
  }

  @Get('stream')
  @Users()
  @ApiOperation({
    summary:
      'Server-sent events: `ticket` {ticketId, status, queue} when a ticket in your queues changes; `resync` after a gap.',
    description:
      'Send the token as Authorization: Bearer (use fetch streaming in browsers). Comments keep the connection alive.',
  })
  @ApiResponse({
    status: 200,
    description: 'The event stream; it stays open.',
    content: {
      'text/event-stream': {
        // One event (OpenAPI 3.0 has no schema for a stream as a whole).
        schema: {
          type: 'object',
          required: ['event', 'data'],
          properties: {
            event: { type: 'string', enum: ['ready', 'ticket', 'resync', 'unauthorized'] },
            data: {
              type: 'string',
              description: 'JSON: ready {queues}, ticket {ticketId, status, queue}, resync {}, unauthorized {message}.',
            },
          },
        },
      },
    },
  })
  @ApiErrors('RATE_LIMITED')
  stream(@CurrentUser() user: UserPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.streams.open(user, req, res);
  }
}
