import type { ReceivedMessage } from "./ports.js";

/** A message the worker has received and not yet finished or given up. */
export interface Held {
  message: ReceivedMessage;
  /** When the message becomes visible to other consumers unless extended (ms since epoch). */
  visibleUntil: number;
  /** When its work started or last made progress (ms since epoch). */
  progressAt: number;
  /** Aborts the work once it is given up. */
  abort: AbortController;
  /** The half-open circuit breaker's probe: its result decides whether receiving resumes. */
  probe: boolean;
}

/** SQS's batch limit for receives, deletes and visibility changes. */
export const SQS_BATCH = 10;

export function inBatches<T>(items: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += SQS_BATCH)
    batches.push(items.slice(start, start + SQS_BATCH));
  return batches;
}
