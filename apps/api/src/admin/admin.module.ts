import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';
import { AutonomyController } from './autonomy.controller';
import { AutonomyService } from './autonomy.service';

@Module({
  controllers: [AdminController, AutonomyController],
  providers: [AdminService, AutonomyService],
})
export class AdminModule {}
