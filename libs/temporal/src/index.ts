export * from './connection-options';
export * from './temporal.module';
export * from './ticket-workflow.client';
export * from './ticket-reconciler';
export * from './sla-notifier';
export * from './payload-codec';
export * from './routing-policy';
export * from './workflow-bundle';
