/**
 * The scaling metric that target tracking holds at its target, `scaling.targetValue` (docs/architecture.md, "Scaling").
 *
 * 100 means "no message visible" (`acceptableMessagesPerTask` visible per task read 183 with one
 * task, close to 200 with many): above it the service scales out, below it scales in. The result
 * lies in [50, 500].
 */

import { SCALING_SETTINGS } from "@icon-fanout/config/settings";

/** Default visible messages one task is expected to absorb per evaluation. */
export const ACCEPTABLE_MESSAGES_PER_TASK = SCALING_SETTINGS.acceptableMessagesPerTask.default;

/** Largest value the metric takes (5 × 100): caps how hard one reading can push scale-out. */
export const MAX_SCALING_METRIC = 500;

/** Smallest value the metric takes: an idle service with spare tasks. */
export const MIN_SCALING_METRIC = 50;

export function scalingMetric(
  runningTasks: number,
  visibleMessages: number,
  acceptableMessagesPerTask: number = ACCEPTABLE_MESSAGES_PER_TASK,
): number {
  requireCount("runningTasks", runningTasks);
  requireCount("visibleMessages", visibleMessages);
  if (!Number.isFinite(acceptableMessagesPerTask) || acceptableMessagesPerTask <= 0) {
    throw new RangeError(
      `acceptableMessagesPerTask must be a finite number above 0, got ${acceptableMessagesPerTask}`,
    );
  }
  // An idle queue with more than one task reads below target so target tracking scales in.
  const penalty = visibleMessages === 0 && runningTasks > 1 ? -0.5 : 0;
  const load = 1 + visibleMessages / (acceptableMessagesPerTask * runningTasks + 1) + penalty;
  return Math.min(load, MAX_SCALING_METRIC / 100) * 100;
}

function requireCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}
