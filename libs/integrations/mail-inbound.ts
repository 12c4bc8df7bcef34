// Taking mail in (parsing, sender trust, the SMTP listener, Postmark payloads) is a named entry of its own, kept
// out of the main entry that the worker loads: only the API takes mail in.
export * from './src/mail/inbound';
