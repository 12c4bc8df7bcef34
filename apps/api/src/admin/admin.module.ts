import { Module } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE, InboxRepository } from '../../../../libs/persistence';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  controllers: [AdminController],
  providers: [
    { provide: InboxRepository, inject: [DATA_SOURCE], useFactory: (db: DataSource) => new InboxRepository(db) },
    AdminService,
  ],
})
export class AdminModule {}
