/**
 * The pure rules the ticket workflow runs: the SLA model, the decision rules and status transitions, mail
 * threading, ids. A named entry of its own, so the workflow bundle carries them without triage (whose trained
 * model and lexicon run in activities, never in the workflow sandbox). Types come from the main entry.
 */
export * from './src/ids';
export * from './src/sla';
export * from './src/tickets/decision-rules';
export * from './src/tickets/mail-threading';
