import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorators';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { BodyRequired } from '../common/validation';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import {
  ApiKeyDto,
  CreateApiKeyDto,
  CreatedApiKeyDto,
  CreateUserDto,
  QueueDto,
  RoutingConfigDto,
  UpdateUserDto,
  UserDto,
} from './admin.dto';
import { AdminService } from './admin.service';

@ApiTags('admin')
@Controller('admin')
@Roles('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('users')
  @ApiOperation({ summary: 'Every user with role, queues and status.' })
  @ApiResponse({ status: 200, type: [UserDto] })
  listUsers(): Promise<UserDto[]> {
    return this.admin.listUsers();
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a user (password hashed with argon2id).' })
  @ApiResponse({ status: 201, type: UserDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'USER_EXISTS')
  createUser(@Body() dto: CreateUserDto): Promise<UserDto> {
    return this.admin.createUser(dto);
  }

  @Patch('users/:userId')
  @ApiOperation({
    summary: 'Change name, role, queues, password or active flag; role, password and deactivation end sessions.',
  })
  @ApiParam({ name: 'userId', format: 'uuid', description: 'Any other value names no user (404).' })
  @ApiResponse({ status: 200, type: UserDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'USER_NOT_FOUND', 'LAST_ADMIN')
  @BodyRequired()
  updateUser(@Param('userId') userId: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.admin.updateUser(userId, dto);
  }

  @Get('queues')
  @ApiOperation({ summary: 'The routing queues with their members and waiting / breached counts.' })
  @ApiResponse({ status: 200, type: [QueueDto] })
  queues(): Promise<QueueDto[]> {
    return this.admin.queues();
  }

  @Get('routing')
  @ApiOperation({
    summary:
      'The routing policy and settings in force (read-only here: earned autonomy sets thresholds, see /admin/routing/autonomy; settings are environment).',
  })
  @ApiResponse({ status: 200, type: RoutingConfigDto })
  routing(): Promise<RoutingConfigDto> {
    return this.admin.routing();
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'Integration API keys (without their secrets).' })
  @ApiResponse({ status: 200, type: [ApiKeyDto] })
  listApiKeys(): Promise<ApiKeyDto[]> {
    return this.admin.listApiKeys();
  }

  @Post('api-keys')
  @ApiOperation({
    summary: 'Create an API key for an integration; the token is shown once. Ingest keys can only ingest.',
  })
  @ApiResponse({ status: 201, type: CreatedApiKeyDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'API_KEY_NAME_TAKEN')
  createApiKey(@CurrentUser() admin: UserPrincipal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.admin.createApiKey(admin, dto);
  }

  @Delete('api-keys/:apiKeyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it stops working at once.' })
  @ApiParam({ name: 'apiKeyId', format: 'uuid', description: 'Any other value names no API key (404).' })
  @ApiResponse({ status: 204, description: 'Revoked (or it was already).' })
  @ApiErrors('API_KEY_NOT_FOUND')
  revokeApiKey(@Param('apiKeyId') apiKeyId: string): Promise<void> {
    return this.admin.revokeApiKey(apiKeyId);
  }
}
