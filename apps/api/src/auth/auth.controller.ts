import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { QUEUES } from '../../../../libs/domain';
import type { UserRecord } from '../../../../libs/persistence';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { Public, RateLimited, Users } from './access.decorators';
import { LoginDto, LoginResponseDto, MeDto } from './auth.dto';
import { AuthService } from './auth.service';
import { CurrentUser, type UserPrincipal } from './principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @RateLimited('login')
  @ApiOperation({ summary: 'Sign in with email and password; answers a signed token.' })
  @ApiResponse({ status: 200, type: LoginResponseDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'INVALID_CREDENTIALS')
  async login(@Body() dto: LoginDto): Promise<LoginResponseDto> {
    const { accessToken, expiresIn, user } = await this.auth.login(dto.email, dto.password);
    return { accessToken, tokenType: 'Bearer', expiresIn, user: me(user) };
  }

  @Get('me')
  @Users()
  @ApiOperation({ summary: 'Who the token belongs to, with role and queues as they are now.' })
  @ApiResponse({ status: 200, type: MeDto })
  whoAmI(@CurrentUser() user: UserPrincipal): MeDto {
    return me(user);
  }

  @Post('logout')
  @HttpCode(204)
  @Users()
  @ApiOperation({ summary: 'Sign out everywhere: every token issued to this user so far stops working.' })
  @ApiResponse({ status: 204 })
  async logout(@CurrentUser() user: UserPrincipal): Promise<void> {
    await this.auth.logoutEverywhere(user.id);
  }
}

function me(user: Pick<UserRecord, 'id' | 'email' | 'displayName' | 'role' | 'queues'>): MeDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    queues: user.queues,
    visibleQueues: user.role === 'agent' ? user.queues : [...QUEUES],
  };
}
