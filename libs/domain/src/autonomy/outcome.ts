/**
 * What became of a routed draft, and whether sending it on its own would have been wrong. The verdict is the
 * evidence earned autonomy learns from, so it leans to caution: any sign that a person had to correct the AI counts.
 */
import { distance } from 'fastest-levenshtein';
import type { Intent } from '../triage/triage.types';

/**
 * The agent's (or the system's) last word on a draft: sent as drafted, sent after an edit, rejected, sent on its
 * own, stopped in the undo window, or superseded by a newer draft before anyone decided.
 */
export type FinalAction = 'sent_as_is' | 'edited' | 'rejected' | 'auto_sent' | 'auto_cancelled' | 'superseded';

export interface OutcomeVerdictInput {
  intent: Intent;
  finalAction: FinalAction | null;
  /** Normalised edit distance between the draft and the text that went out (0 same, 1 all different). */
  editDistance: number | null;
  reassigned: boolean;
  /** The customer wrote back unhappy within the reopen window after the reply. */
  unhappy: boolean;
  /** The intent as an agent corrected it, if they did. */
  correctedIntent: Intent | null;
}

/** Edits up to this normalised distance are touch-ups (a greeting, a typo); beyond it the draft was wrong. */
export const DEFAULT_MAX_EDIT_DISTANCE = 0.2;

/** Whether sending the draft on its own would have been wrong. */
export function wouldHaveBeenWrong(o: OutcomeVerdictInput, maxEditDistance = DEFAULT_MAX_EDIT_DISTANCE): boolean {
  if (o.finalAction === 'rejected' || o.finalAction === 'auto_cancelled') return true;
  if (o.finalAction === 'edited' && (o.editDistance ?? 1) > maxEditDistance) return true;
  if (o.reassigned || o.unhappy) return true;
  return o.correctedIntent !== null && o.correctedIntent !== o.intent;
}

/** Levenshtein distance over the longer text's length, on whitespace-normalised text. */
export function normalisedEditDistance(draft: string, sent: string): number {
  const a = draft.replace(/\s+/g, ' ').trim();
  const b = sent.replace(/\s+/g, ' ').trim();
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 0;
  return Math.round((distance(a, b) / longest) * 1000) / 1000;
}
