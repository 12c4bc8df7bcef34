export * from './ticket/ticket.activities';
