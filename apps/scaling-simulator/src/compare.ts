/** Runs every workload under every chosen policy with the same seed, for the side-by-side report. */
import { FARGATE_ARM_PRICES, TASK_START_MEDIAN_SECONDS, TASK_START_SIGMA } from "./assumptions.js";
import { COMPARED_POLICIES, type PolicyName, policySetups } from "./policies/index.js";
import type { SimSettings } from "./settings.js";
import { type RunResult, simulate } from "./simulation.js";
import { type RunSummary, summarize } from "./summary.js";
import { workloadFrom } from "./workloads.js";

export interface WorkloadReport {
  readonly workload: string;
  readonly uploads: number;
  readonly runs: readonly RunSummary[];
}

export interface Comparison {
  readonly seed: number;
  readonly settings: SimSettings;
  readonly assumptions: {
    readonly taskStart: {
      readonly medianSeconds: number;
      readonly sigma: number;
      readonly defaultMedianSeconds: number;
    };
    readonly prices: typeof FARGATE_ARM_PRICES;
  };
  readonly policies: ReadonlyArray<{ readonly name: string; readonly description: string }>;
  readonly workloads: readonly WorkloadReport[];
}

export interface CompareOptions {
  readonly workloads: readonly string[];
  readonly policies?: readonly PolicyName[];
  readonly seed: number;
  /** Called with each run, e.g. to keep the readings of the plotted workload. */
  readonly onRun?: (workload: string, result: RunResult) => void;
}

export function compare(settings: SimSettings, options: CompareOptions): Comparison {
  const chosen = options.policies ?? COMPARED_POLICIES;
  const setups = policySetups(settings).filter((setup) => chosen.includes(setup.name));
  const workloads = options.workloads.map((spec) => {
    // Each workload's arrivals depend on the seed and its own spec only, not on which others run.
    const workload = workloadFrom(spec, workloadSeed(options.seed, spec));
    const runs = setups.map((setup) => {
      const result = simulate(settings, workload, setup, options.seed);
      options.onRun?.(spec, result);
      return summarize(result, settings);
    });
    return { workload: spec, uploads: workload.arrivals.length, runs };
  });
  return {
    seed: options.seed,
    settings,
    assumptions: {
      taskStart: {
        medianSeconds: settings.startMedianSeconds,
        sigma: TASK_START_SIGMA,
        defaultMedianSeconds: TASK_START_MEDIAN_SECONDS,
      },
      prices: FARGATE_ARM_PRICES,
    },
    policies: setups.map(({ name, description }) => ({ name, description })),
    workloads,
  };
}

/** FNV-1a of the spec, mixed with the run's seed. */
export function workloadSeed(seed: number, spec: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < spec.length; i++) hash = Math.imul(hash ^ spec.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
