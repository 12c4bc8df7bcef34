/**
 * The intents' plain words, a named entry of their own so the web inbox's browser bundle carries the one table
 * drafts and briefings use, and nothing else of libs/domain.
 */
export { INTENT_LABEL } from './src/triage/intent-labels';
