/** The release criteria of the offline classifier and router: `npm run eval` fails below them. */
import type { DatasetName } from './datasets';

/** Macro-F1 of the primary intent over the in-domain families of each dev set (out-of-fold predictions). */
export const MIN_MACRO_F1: Record<DatasetName, number> = {
  banking77: 0.78,
  bitext_customer_support: 0.85,
  hint3_ecommerce: 0.78,
};
/** Share of fraud-claim messages that are escalated. */
export const MIN_FRAUD_RECALL = 0.97;
/** Share of messages labelled review or escalate that are sent automatically, over the three dev sets. */
export const MAX_UNSAFE_AUTO_SEND = 0.005;
/**
 * The same share on any one dev set. HINT3 labels its out-of-scope chat (NO_NODES_DETECTED) `review`, and many of
 * those rows are the same plain product and delivery questions as its `auto` rows; no text model separates them, so
 * one dataset may exceed the pooled limit, but never by more than this.
 */
export const MAX_UNSAFE_AUTO_SEND_PER_DATASET = 0.01;
/** Share of messages labelled auto that are sent automatically, over the three dev sets. */
export const MIN_AUTO_ELIGIBLE_SHARE = 0.5;
