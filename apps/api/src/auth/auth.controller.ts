import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { QUEUES } from '../../../../libs/domain';
import type { UserRecord } from '../../../../libs/persistence';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { Public, RateLimited, Users } from './access.decorators';
import { LoginDto, LoginResponseDto, MeDto } from './auth.dto';
import { AuthService } from './auth.service';
import { clearCodecCookie, setCodecCookie } from './codec-cookie';
import { CurrentUser, type UserPrincipal } from './principal';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @RateLimited('login')
  @ApiOperation({
    summary:
      'Sign in with email and password; answers a signed token. A supervisor or admin also gets the codec cookie, ' +
      "which Temporal UI's codec requests may carry to /codec (HttpOnly, SameSite=Strict, Path=/api/v1/codec).",
  })
  @ApiResponse({ status: 200, type: LoginResponseDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'INVALID_CREDENTIALS')
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponseDto> {
    const { accessToken, expiresIn, user } = await this.auth.login(dto.email, dto.password);
    setCodecCookie(req, res, user.role, accessToken, expiresIn);
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
  async logout(
    @CurrentUser() user: UserPrincipal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logoutEverywhere(user.id);
    clearCodecCookie(req, res);
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
