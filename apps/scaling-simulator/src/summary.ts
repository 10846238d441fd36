/** The figures a run is judged by: latency percentiles, drain time, tasks, cost and scale actions. */
import { FARGATE_ARM_PRICES } from "./assumptions.js";
import type { SimSettings } from "./settings.js";
import type { RunResult } from "./simulation.js";

export interface RunSummary {
  readonly policy: string;
  readonly uploads: number;
  readonly processed: number;
  readonly duplicates: number;
  /** Upload to output, seconds. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly drainSeconds: number;
  readonly peakTasks: number;
  readonly taskMinutes: number;
  readonly costUsd: number;
  readonly scaleActions: number;
  /** Scale actions whose direction reverses the one before (out then in, or in then out). */
  readonly flaps: number;
}

export function summarize(result: RunResult, settings: SimSettings): RunSummary {
  const sorted = Float64Array.from(result.latencies).sort();
  const hourly =
    (settings.cpu / 1024) * FARGATE_ARM_PRICES.perVcpuHour +
    (settings.memory / 1024) * FARGATE_ARM_PRICES.perGbHour;
  return {
    policy: result.policy,
    uploads: result.uploads,
    processed: result.processed,
    duplicates: result.duplicates,
    p50: round(percentile(sorted, 0.5), 2),
    p95: round(percentile(sorted, 0.95), 2),
    p99: round(percentile(sorted, 0.99), 2),
    max: round(sorted[sorted.length - 1] ?? 0, 2),
    drainSeconds: round(result.drainSeconds, 1),
    peakTasks: result.peakTasks,
    taskMinutes: round(result.billedTaskSeconds / 60, 1),
    costUsd: round((result.billedTaskSeconds / 3600) * hourly, 4),
    scaleActions: result.actions.length,
    flaps: countFlaps(result.actions.map((action) => Math.sign(action.to - action.from))),
  };
}

/** Nearest-rank percentile of ascending values (0 when there are none). */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Direction reversals in a sequence of +1/−1 steps. */
export function countFlaps(directions: readonly number[]): number {
  let flaps = 0;
  for (let i = 1; i < directions.length; i++) if (directions[i] !== directions[i - 1]) flaps++;
  return flaps;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
