/**
 * What the model is allowed to answer. Both schemas are strict objects: an answer with any extra field
 * (`autoSend`, `route`, `orderNumber`...) is invalid, not silently trimmed, so it goes through the repair
 * attempt and, if it persists, fails the call for good (the ticket then goes to a human).
 *
 * Nothing here can route a ticket, skip a rule or name an order: those fields do not exist. Lengths and ranges
 * are checked (or clamped) in code, so the JSON Schema sent to the model stays inside the subset every
 * OpenAI-compatible structured-output implementation accepts.
 */
import { z } from 'zod';
import { INTENTS, type ClassificationFlag } from '../../../domain';

/** Flags the model may raise. `hidden_text_removed` and `truncated` come from our own text preparation only. */
export const MODEL_FLAGS = [
  'health_safety',
  'prompt_injection',
  'customer_claims_vip',
] as const satisfies readonly ClassificationFlag[];

const MAX_EVIDENCE_CHARS = 200;
const MAX_SUBJECT_CHARS = 200;
const MAX_BODY_CHARS = 6_000;

const evidence = z
  .array(
    z
      .string()
      .refine(
        (s) => s.length <= MAX_EVIDENCE_CHARS,
        `each evidence phrase must be at most ${MAX_EVIDENCE_CHARS} characters`,
      ),
  )
  .refine((list) => list.length <= 10, 'at most 10 evidence phrases');

export const classificationOutputSchema = z.strictObject({
  intents: z
    .array(
      z.strictObject({
        intent: z.enum(INTENTS),
        /** 0..1; clamped in code, not rejected. */
        confidence: z.number(),
        evidence,
      }),
    )
    .refine((list) => list.length >= 1, 'list at least one intent (use "other" when nothing fits)')
    .refine((list) => list.length <= INTENTS.length, `at most ${INTENTS.length} intents`),
  sentiment: z.strictObject({
    /** −1..1; clamped in code. */
    score: z.number(),
    frustration: z.boolean(),
    urgency: z.boolean(),
    evidence,
  }),
  /** ISO 639-1; anything else becomes 'und' in code. */
  language: z.string(),
  flags: z.array(z.enum(MODEL_FLAGS)),
});
export type ClassificationOutput = z.output<typeof classificationOutputSchema>;

export const draftOutputSchema = z.strictObject({
  subject: z
    .string()
    .refine((s) => s.trim().length > 0, 'the subject must not be empty')
    .refine((s) => s.length <= MAX_SUBJECT_CHARS, `the subject must be at most ${MAX_SUBJECT_CHARS} characters`)
    .refine((s) => !/[\r\n]/.test(s), 'the subject must be one line'),
  body: z
    .string()
    .refine((s) => s.trim().length > 0, 'the body must not be empty')
    .refine((s) => s.length <= MAX_BODY_CHARS, `the body must be at most ${MAX_BODY_CHARS} characters`),
});
export type DraftOutput = z.output<typeof draftOutputSchema>;
