export * from './ticket/ticket.activities';
export * from './sla-notifier/sla-notifier.activities';
export * from './routing-policy/routing-policy.activities';
