export * from './errors/domain-error';
export * from './ports/ports';
export * from './tickets/ticket.types';
export * from './triage/triage.types';
export * from './triage';
