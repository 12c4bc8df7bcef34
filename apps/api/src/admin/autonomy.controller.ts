import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DEFAULT_ROUTING_POLICY } from '../../../../libs/domain';
import { Roles } from '../auth/access.decorators';
import { CurrentUser, type UserPrincipal } from '../auth/principal';
import { ApiErrors, JSON_BODY_ERRORS } from '../common/api-errors';
import { BodyRequired } from '../common/validation';
import {
  AdminAuditDto,
  AutonomyViewDto,
  PolicyRecomputedDto,
  SimulateDto,
  SimulationDto,
  UpdateIntentControlDto,
} from './autonomy.dto';
import { AutonomyService } from './autonomy.service';

@ApiTags('admin')
@Controller('admin/routing')
@Roles('admin')
export class AutonomyController {
  constructor(private readonly autonomy: AutonomyService) {}

  @Get('autonomy')
  @ApiOperation({ summary: "Each intent's mode, threshold, evidence and bound under the routing policy in force." })
  @ApiResponse({ status: 200, type: AutonomyViewDto })
  view(): Promise<AutonomyViewDto> {
    return this.autonomy.view();
  }

  @Patch('intents/:intent')
  @ApiOperation({
    summary: 'Keep an intent with people, or set its own target risk; audited, and the policy is recomputed at once.',
  })
  @ApiParam({
    name: 'intent',
    enum: DEFAULT_ROUTING_POLICY.autoSendAllowlist,
    description: 'An intent that may earn automatic sending; any other value is 404.',
  })
  @ApiResponse({ status: 200, type: AutonomyViewDto })
  @ApiErrors(...JSON_BODY_ERRORS, 'INTENT_NOT_FOUND', 'WORKFLOW_UNAVAILABLE')
  @BodyRequired()
  setControl(
    @Param('intent') intent: string,
    @Body() dto: UpdateIntentControlDto,
    @CurrentUser() admin: UserPrincipal,
  ): Promise<AutonomyViewDto> {
    return this.autonomy.setControl(intent, dto, admin);
  }

  @Post('recompute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute the routing policy from the recorded outcomes now.' })
  @ApiResponse({ status: 200, type: PolicyRecomputedDto })
  @ApiErrors('WORKFLOW_UNAVAILABLE')
  recompute(@CurrentUser() admin: UserPrincipal): Promise<PolicyRecomputedDto> {
    return this.autonomy.recompute(admin);
  }

  @Post('simulate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Replay the recorded outcomes under proposed settings and pins: auto share, unsafe share and the effect per intent. Changes nothing.',
  })
  @ApiResponse({ status: 200, type: SimulationDto })
  @ApiErrors(...JSON_BODY_ERRORS)
  @BodyRequired()
  simulate(@Body() dto: SimulateDto): Promise<SimulationDto> {
    return this.autonomy.simulate(dto);
  }

  @Get('audit')
  @ApiOperation({ summary: "Admins' changes to the routing policy controls, newest first." })
  @ApiResponse({ status: 200, type: [AdminAuditDto] })
  audit(): Promise<AdminAuditDto[]> {
    return this.autonomy.audit();
  }
}
