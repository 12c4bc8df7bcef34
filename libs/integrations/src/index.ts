export * from './llm/offline.adapters';
export * from './mail/smtp.mailer';
export * from './mail/smtp-sink';
