export * from './llm/offline.adapters';
export * from './llm/openai.classifier';
export * from './llm/openai.client';
export * from './llm/openai.drafter';
export * from './mail/smtp.mailer';
export * from './mail/smtp-sink';
export * from './notify/escalation-runner';
export * from './orders';
