export * from './inbox.repository';
export * from './ticket-change-feed';
