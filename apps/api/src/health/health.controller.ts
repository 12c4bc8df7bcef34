import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../../../../libs/persistence';
import { TEMPORAL_CLIENT } from '../../../../libs/temporal';
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
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Readiness: PostgreSQL and Temporal reachable.' })
  @ApiResponse({ status: 200, type: HealthDto, description: 'Both are reachable.' })
  @ApiResponse({ status: 503, type: HealthDto, description: 'One of them is not; the body says which.' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const [database, temporal] = await Promise.all([
      probe(() => this.db.query('SELECT 1')),
      probe(() => this.temporal.workflowService.getSystemInfo({})),
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
