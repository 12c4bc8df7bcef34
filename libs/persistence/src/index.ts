export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './repositories/order.repository';
export * from './repositories/ticket.repository';
export * from './seed/demo-store';
