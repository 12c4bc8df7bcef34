import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError, isUuid } from '../../../../libs/domain';
import {
  parsePostmarkPayload,
  postmarkInboundSchema,
  postmarkToMime,
  PostmarkPayloadError,
} from '../../../../libs/integrations/mail-inbound';
import {
  DiscardQuarantineDto,
  InboundResultDto,
  QuarantineDiscardDto,
  QuarantineListDto,
  QuarantineQueryDto,
  QuarantineReleaseDto,
} from './inbound.dto';
import { InboundMailService, type InboundOutcome } from './inbound-mail.service';
import { IngestAccess, Public, Roles } from '../auth/access.decorators';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import type { AuthenticatedRequest } from '../auth/principal';
import { PostmarkAuthGuard } from './postmark-auth.guard';
import { readBodyPrefix } from './raw-body';
import { nulFreeReviver } from '../common/nul';
import { QuarantineService } from './quarantine.service';

const ACCEPTED = { status: 201, type: InboundResultDto, description: 'Stored and handed to its ticket workflow.' };
const DUPLICATE = {
  status: 200,
  type: InboundResultDto,
  description: 'Seen before (same Message-ID and content): same ticket, nothing new.',
};
const QUARANTINED = {
  status: 202,
  type: InboundResultDto,
  description: 'Stored in quarantine for a supervisor (reason given); not a ticket message.',
};
/** Temporary failures (503): the sender retries later and the same message gets the same answer. */
const RETRY = ['INBOUND_STORAGE_UNAVAILABLE', 'INBOUND_BUSY', 'WORKFLOW_UNAVAILABLE'] as const;

const RAW_MESSAGE_EXAMPLE = [
  'From: Maria Rossi <maria@example.com>',
  'To: support@shop.example',
  'Subject: Where is my order SL-10001?',
  'Message-ID: <a1b2@mail.example.com>',
  'Date: Tue, 1 Dec 2026 10:00:00 +0000',
  '',
  'Hi, my order SL-10001 has not arrived yet. Can you check?',
  '',
].join('\r\n');

/**
 * Email in. Three ways (this raw-MIME endpoint, the Postmark webhook, and the SMTP listener which is not HTTP)
 * all run the one pipeline in InboundMailService. Plus the quarantine list for supervisors.
 */
@ApiTags('inbound')
@Controller('inbound')
export class InboundController {
  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly pipeline: InboundMailService,
    private readonly quarantine: QuarantineService,
  ) {}

  @Post('mime')
  @IngestAccess()
  @ApiOperation({ summary: 'Take in one raw email (RFC 5322), as a mail server or a relay received it.' })
  @ApiConsumes('message/rfc822')
  @ApiBody({
    required: true,
    schema: { type: 'string', format: 'binary' },
    examples: { message: { summary: 'A customer email', value: RAW_MESSAGE_EXAMPLE } },
  })
  @ApiResponse(ACCEPTED)
  @ApiResponse(DUPLICATE)
  @ApiResponse(QUARANTINED)
  // Never 413: a message over the size limit is stored and quarantined (202), not refused unseen.
  @ApiErrors('INBOUND_UNSUPPORTED_MEDIA_TYPE', ...RETRY)
  async mime(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<InboundResultDto> {
    if (!/^message\/rfc822\s*(;|$)/i.test(req.header('content-type') ?? '')) {
      req.resume();
      throw new DomainError('INBOUND_UNSUPPORTED_MEDIA_TYPE', 'send the raw message with Content-Type: message/rfc822');
    }
    const { bytes, total } = await readBodyPrefix(req, keptBytes(this.config));
    return answer(res, await this.pipeline.receive(bytes, { channel: 'mime' }, total));
  }

  @Post('postmark')
  @Public() // Postmark cannot log in; PostmarkAuthGuard checks the basic-auth credentials of the webhook URL
  @UseGuards(PostmarkAuthGuard)
  @ApiBasicAuth('postmark')
  @ApiBody({
    required: true,
    description: 'The fields Seamline reads; Postmark sends more, which are ignored.',
    schema: z.toJSONSchema(postmarkInboundSchema, { target: 'openapi-3.0', io: 'input' }) as Record<string, unknown>,
  })
  @ApiOperation({
    summary:
      "Postmark's inbound webhook (JSON). Authenticated with HTTP basic auth in the webhook URL; Postmark does not sign.",
  })
  @ApiResponse({
    ...ACCEPTED,
    status: 200,
    description: 'Stored (new, duplicate or quarantined); Postmark does not retry.',
  })
  @ApiErrors('INBOUND_INVALID_PAYLOAD', 'MALFORMED_JSON', 'INBOUND_UNAUTHORIZED', 'INBOUND_CHANNEL_DISABLED', ...RETRY)
  @HttpCode(200)
  async postmark(@Req() req: Request): Promise<InboundResultDto> {
    // Postmark sends the mail base64-encoded inside JSON: the route takes well over the mail size limit.
    const { bytes, total } = await readBodyPrefix(req, keptBytes(this.config));
    if (total > bytes.length) {
      return present(await this.pipeline.receive(bytes, { channel: 'postmark' }, total));
    }
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'), nulFreeReviver);
    } catch {
      throw new DomainError('MALFORMED_JSON', 'the body is not JSON');
    }
    let mime: Awaited<ReturnType<typeof postmarkToMime>>;
    try {
      mime = await postmarkToMime(parsePostmarkPayload(body));
    } catch (error) {
      if (error instanceof PostmarkPayloadError)
        throw new DomainError('INBOUND_INVALID_PAYLOAD', error.message, { problems: error.problems });
      throw error;
    }
    return present(
      await this.pipeline.receive(mime.raw, {
        channel: 'postmark',
        envelope: { mailFrom: null, rcptTo: mime.recipients },
      }),
    );
  }

  @Get('quarantine')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'Quarantined mail with the reason, newest first (supervisors).' })
  @ApiResponse({ status: 200, type: QuarantineListDto })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() query: QuarantineQueryDto): Promise<QuarantineListDto> {
    return this.quarantine.list(query);
  }

  @Post('quarantine/:id/release')
  @Roles('supervisor', 'admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Release a quarantined message (supervisors): it re-enters intake once and becomes a ticket message. Idempotent.',
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'Any other value names no entry (404).' })
  @ApiResponse({ status: 200, type: QuarantineReleaseDto })
  @ApiErrors('QUARANTINE_ENTRY_NOT_FOUND', 'QUARANTINE_ALREADY_RESOLVED', 'QUARANTINE_NOT_RELEASABLE', ...RETRY)
  async release(@Param('id') id: string, @Req() req: AuthenticatedRequest): Promise<QuarantineReleaseDto> {
    if (!isUuid(id)) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${id}`);
    const { ticketId } = await this.pipeline.release(id, principalId(req));
    return { status: 'released', ticketId };
  }

  @Post('quarantine/:id/discard')
  @Roles('supervisor', 'admin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Discard a quarantined message with a reason (supervisors); it stays stored. Idempotent.' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'Any other value names no entry (404).' })
  @ApiBody({ type: DiscardQuarantineDto, required: true })
  @ApiResponse({ status: 200, type: QuarantineDiscardDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'QUARANTINE_ENTRY_NOT_FOUND', 'QUARANTINE_ALREADY_RESOLVED', ...RETRY)
  async discard(
    @Param('id') id: string,
    @Body() body: DiscardQuarantineDto,
    @Req() req: AuthenticatedRequest,
  ): Promise<QuarantineDiscardDto> {
    if (!isUuid(id)) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${id}`);
    await this.pipeline.discard(id, principalId(req), body.reason.trim());
    return { status: 'discarded' };
  }

  @Get('quarantine/:id/raw')
  @Roles('supervisor', 'admin')
  @ApiOperation({ summary: 'The raw message of a quarantine entry, to inspect (supervisors).' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'Any other value names no entry (404).' })
  @ApiResponse({
    status: 200,
    description: 'The message as it was received, as an attachment.',
    content: { 'message/rfc822': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors('QUARANTINE_ENTRY_NOT_FOUND')
  async raw(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const raw = await this.quarantine.raw(id);
    res
      .status(200)
      .type('message/rfc822')
      .setHeader('Content-Disposition', `attachment; filename="quarantine-${id}.eml"`)
      .setHeader('X-Content-Type-Options', 'nosniff')
      .send(raw);
  }
}

/**
 * What an inbound HTTP route reads of a body: twice the mail size limit (a Postmark payload carries the mail in
 * base64, a third larger). Anything beyond is not kept, but the message is stored and quarantined all the same.
 */
/** Who acts, for the record on the entry: the signed-in user's id (the route admits users only). */
function principalId(req: AuthenticatedRequest): string {
  return req.principal?.id ?? 'unknown';
}

function keptBytes(config: SeamlineConfig): number {
  return 2 * config.inbound.maxBytes;
}

function answer(res: Response, outcome: InboundOutcome): InboundResultDto {
  res.status(outcome.status === 'quarantined' ? 202 : outcome.created ? 201 : 200);
  return present(outcome);
}

function present(outcome: InboundOutcome): InboundResultDto {
  if (outcome.status === 'quarantined') {
    return {
      status: 'quarantined',
      quarantineId: outcome.quarantineId,
      reason: outcome.reason,
      detail: outcome.detail,
      messageKey: outcome.messageKey,
    };
  }
  return {
    status: 'accepted',
    messageKey: outcome.messageKey,
    ticketId: outcome.ticketId,
    workflowId: outcome.workflowId,
    threaded: outcome.threaded,
  };
}
