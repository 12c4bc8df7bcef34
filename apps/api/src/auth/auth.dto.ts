import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { QUEUES, type Queue } from '../../../../libs/domain';
import { PASSWORD_LIMITS, USER_ROLES, type UserRole } from '../../../../libs/persistence';

export class LoginDto {
  @ApiProperty({ example: 'ava@seamline.local', minLength: 1, maxLength: 320 })
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'demo-agent-ava', minLength: 1, maxLength: PASSWORD_LIMITS.max, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_LIMITS.max)
  password!: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  role!: UserRole;

  @ApiProperty({
    enum: QUEUES,
    isArray: true,
    description: 'Queues the user works in; supervisors and admins see every queue.',
  })
  queues!: Queue[];

  @ApiProperty({ enum: QUEUES, isArray: true, description: 'Queues whose tickets this user may see.' })
  visibleQueues!: Queue[];
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Signed JWT (HS256); send as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires.' })
  expiresIn!: number;

  @ApiProperty({ type: MeDto })
  user!: MeDto;
}
