export * from './ticket/ticket.activities';
export * from './sla-notifier/sla-notifier.activities';
