export * from './errors/adapter-errors';
export * from './errors/domain-error';
export * from './ports/ports';
export * from './sla';
export * from './tickets/decision-rules';
export * from './tickets/ticket.types';
export * from './triage/triage.types';
export * from './triage';
