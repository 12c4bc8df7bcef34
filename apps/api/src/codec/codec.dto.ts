import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  Matches,
  ValidateBy,
  ValidateNested,
} from 'class-validator';

/** Standard base64 with padding, as Temporal's remote-codec protocol (protobuf JSON `bytes`) writes it. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_METADATA_ENTRIES = 32;

/** An object of base64 strings under short keys (a payload's metadata). */
const IsBase64Map = () =>
  ValidateBy({
    name: 'isBase64Map',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= MAX_METADATA_ENTRIES &&
        Object.values(value).every((v) => typeof v === 'string' && BASE64.test(v)),
      defaultMessage: () => `metadata must map up to ${MAX_METADATA_ENTRIES} keys to base64 strings`,
    },
  });

export class CodecPayloadDto {
  @ApiPropertyOptional({
    type: 'object',
    description: 'Payload metadata, each value base64 (e.g. `encoding`, `encryption-key-id`).',
    additionalProperties: { type: 'string', format: 'byte', pattern: BASE64.source },
    maxProperties: MAX_METADATA_ENTRIES,
    example: { encoding: 'anNvbi9wbGFpbg==' },
  })
  @IsOptional()
  @IsObject()
  @IsBase64Map()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'string', format: 'byte', pattern: BASE64.source, example: 'eyJvayI6dHJ1ZX0=' })
  @IsOptional()
  @Matches(BASE64, { message: 'data must be base64' })
  data?: string;
}

/** The body of Temporal's remote-codec protocol, in both directions. */
export class CodecPayloadsDto {
  @ApiProperty({ type: [CodecPayloadDto], maxItems: 1000 })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CodecPayloadDto)
  payloads!: CodecPayloadDto[];
}
