export * from './temporal.module';
export * from './ticket-workflow.client';
