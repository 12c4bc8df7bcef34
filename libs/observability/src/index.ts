export * from './metrics';
export * from './redact';
export * from './logging';
export * from './tracing';
export * from './observability.module';
