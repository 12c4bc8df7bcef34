import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DatabaseProbe } from '../../../../libs/persistence';
import { TicketWorkflowClient } from '../../../../libs/temporal';
import { Public } from '../auth/access.decorators';

class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] })
  status!: 'ok' | 'degraded';

  @ApiProperty({ enum: ['ok', 'unreachable'] })
  database!: 'ok' | 'unreachable';

  @ApiProperty({ enum: ['ok', 'unreachable'] })
  temporal!: 'ok' | 'unreachable';
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseProbe,
    private readonly temporal: TicketWorkflowClient,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Temporal reachable.' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'Both are reachable.' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'One of them is not; the body says which.' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const [database, temporal] = await Promise.all([
      probe(() => this.database.ping()),
      probe(() => this.temporal.ping()),
    ]);
    const ok = database === 'ok' && temporal === 'ok';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', database, temporal };
  }
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unreachable'> {
  try {
    await check();
    return 'ok';
  } catch {
    return 'unreachable';
  }
}
