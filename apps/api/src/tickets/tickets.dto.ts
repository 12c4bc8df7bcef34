import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
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

export class DecisionResponseDto {
  @ApiProperty()
  status!: string;

  @ApiProperty()
  draftVersion!: number;
}
