import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { DomainError } from '../../../../libs/domain';
import { PAYLOAD_CODEC } from '../../../../libs/temporal';
import { Access } from '../auth/access.decorators';
import { CODEC_ROLES } from '../auth/codec-cookie';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { CodecPayloadsDto, type CodecPayloadDto } from './codec.dto';

/** Supervisors and admins, by bearer token or by the codec cookie that their sign-in set. */
const CODEC_ACCESS = { roles: CODEC_ROLES, codecCookie: true };

/**
 * Temporal's remote payload codec, for Temporal UI and the `temporal` CLI (`--codec-endpoint`): supervisors and
 * admins read a workflow's decrypted payloads through it; agents (403) and anonymous callers (401) do not. Nothing
 * is stored or logged.
 */
@ApiTags('codec')
@Controller('codec')
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec | null) {}

  @Post('decode')
  @HttpCode(200)
  @Access(CODEC_ACCESS)
  @ApiOperation({
    summary:
      'Decrypt Temporal payloads (remote-codec protocol). Payloads this codec did not encrypt come back unchanged.',
  })
  @ApiResponse({ status: 200, type: CodecPayloadsDto, description: 'The payloads, decoded, in order.' })
  @ApiErrors(...JSON_BODY_ERRORS, 'PAYLOAD_NOT_DECODABLE')
  async decode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    const payloads = body.payloads.map(fromJson);
    if (!this.codec) return { payloads: payloads.map(toJson) };
    const decoded: Payload[] = [];
    for (const [index, payload] of payloads.entries()) {
      try {
        decoded.push(...(await this.codec.decode([payload])));
      } catch (error) {
        throw new DomainError('PAYLOAD_NOT_DECODABLE', error instanceof Error ? error.message : 'not decodable', {
          index,
        });
      }
    }
    return { payloads: decoded.map(toJson) };
  }

  @Post('encode')
  @HttpCode(200)
  @Access(CODEC_ACCESS)
  @ApiOperation({
    summary: "Encrypt Temporal payloads with the newest key (remote-codec protocol), e.g. for a UI's signal.",
  })
  @ApiResponse({ status: 200, type: CodecPayloadsDto, description: 'The payloads, encrypted, in order.' })
  @ApiErrors(...JSON_BODY_ERRORS)
  async encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    const payloads = body.payloads.map(fromJson);
    const encoded = this.codec ? await this.codec.encode(payloads) : payloads;
    return { payloads: encoded.map(toJson) };
  }
}

function fromJson(p: CodecPayloadDto): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

function toJson(p: Payload): CodecPayloadDto {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}
