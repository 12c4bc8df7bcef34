import type { Priority, Queue } from '../triage/triage.types';

/** A response target: tickets matching `queue` and `priority` (absent = any) must be answered in time. */
export interface SlaTarget {
  queue?: Queue;
  priority?: Priority;
  firstResponseSeconds: number;
  nextResponseSeconds: number;
}

export const DEFAULT_SLA_TARGETS: SlaTarget[] = [
  { priority: 'urgent', firstResponseSeconds: 3_600, nextResponseSeconds: 3_600 },
  { priority: 'high', firstResponseSeconds: 4 * 3_600, nextResponseSeconds: 4 * 3_600 },
  { queue: 'risk', firstResponseSeconds: 4 * 3_600, nextResponseSeconds: 4 * 3_600 },
  { priority: 'low', firstResponseSeconds: 48 * 3_600, nextResponseSeconds: 48 * 3_600 },
  { firstResponseSeconds: 24 * 3_600, nextResponseSeconds: 24 * 3_600 },
];

/** The first target matching the ticket; a table without a catch-all falls back to the last entry. */
export function resolveSlaTarget(
  targets: readonly SlaTarget[],
  queue: Queue | null,
  priority: Priority | null,
): SlaTarget {
  const match = targets.find(
    (t) => (t.queue === undefined || t.queue === queue) && (t.priority === undefined || t.priority === priority),
  );
  const chosen = match ?? targets.at(-1);
  if (!chosen) throw new Error('the SLA target table is empty');
  return chosen;
}

/** The deadline of a response clock: never earlier than the moment the clock started. */
export function responseDeadline(clockStartedAt: Date, targetSeconds: number): Date {
  return new Date(clockStartedAt.getTime() + Math.max(0, targetSeconds) * 1000);
}

const PRIORITY_ORDER: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** One step more urgent, capped at `urgent`. */
export function raisePriority(priority: Priority | null): Priority {
  const index = PRIORITY_ORDER.indexOf(priority ?? 'normal');
  return PRIORITY_ORDER[Math.min(index + 1, PRIORITY_ORDER.length - 1)] as Priority;
}
