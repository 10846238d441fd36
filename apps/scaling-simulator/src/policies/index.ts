/**
 * The policies `pnpm simulate` compares side by side for one stack's settings.
 */
import { scalingMetric } from "@icon-fanout/scaling";
import type { Reading } from "../reading.js";
import type { ScalableTarget, ScalingPolicy } from "../scalable-target.js";
import type { SimSettings } from "../settings.js";
import { FAST_THRESHOLD_FACTOR, FastScaleOut } from "./fast-scale-out.js";
import { QueueDepthSteps } from "./queue-depth-steps.js";
import { ScaleToZeroSteps } from "./scale-to-zero.js";
import { TargetTracking } from "./target-tracking.js";

/** Every policy the simulator knows. */
export const POLICY_NAMES = [
  "stack",
  "backlog-per-task",
  "queue-depth-steps",
  "fixed",
  "stack+fast-out",
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];
/** The policies a run compares unless `--policy` names others (the last one is a proposal). */
export const COMPARED_POLICIES: readonly PolicyName[] = [
  "stack",
  "backlog-per-task",
  "queue-depth-steps",
  "fixed",
];

export interface PolicySetup {
  readonly name: PolicyName;
  /** One line saying what it is, for the report. */
  readonly description: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Desired (and running) tasks when the run starts. */
  readonly initialTasks: number;
  readonly create: () => ScalingPolicy;
}

/** AWS's backlog-per-task target: the backlog one task clears within this many seconds. */
export const ACCEPTABLE_LATENCY_SECONDS = 10;

export function policySetups(settings: SimSettings): PolicySetup[] {
  const { scaling } = settings;
  const floor = Math.max(scaling.minTasks, 1);
  const zeroSteps = scaling.minTasks === 0 ? " + start-first/stop-last steps" : "";
  const scaled = {
    minCapacity: scaling.minTasks,
    maxCapacity: scaling.maxTasks,
    initialTasks: scaling.minTasks,
  };
  /** Target tracking with the stack's cooldowns, any extra policy, and the scale-to-zero steps when minTasks is 0. */
  const tracking = (
    name: PolicyName,
    description: string,
    metric: (r: Reading) => number,
    targetValue: number,
    extra?: () => ScalingPolicy,
  ): PolicySetup => ({
    name,
    description: `${description}${zeroSteps}`,
    ...scaled,
    create: () => {
      const policies: ScalingPolicy[] = [
        new TargetTracking({
          name,
          metric,
          targetValue,
          scaleInCooldownSeconds: scaling.scaleInCooldownSeconds,
          scaleOutCooldownSeconds: scaling.scaleOutCooldownSeconds,
        }),
      ];
      if (extra) policies.push(extra());
      if (scaling.minTasks === 0) policies.push(new ScaleToZeroSteps(scaling.stopAfterIdleMinutes));
      return all(policies);
    },
  });
  const stackMetric = (r: Reading) => scalingMetric(r.running, r.visible, scaling.acceptableMessagesPerTask);
  const acceptableBacklog = Math.round(settings.iconsPerSecondPerTask * ACCEPTABLE_LATENCY_SECONDS);
  return [
    tracking(
      "stack",
      `this stack: target tracking of EcsTargetMetric at ${scaling.targetValue}`,
      stackMetric,
      scaling.targetValue,
    ),
    tracking(
      "backlog-per-task",
      `AWS's backlog per task: visible / running at ${acceptableBacklog} (${ACCEPTABLE_LATENCY_SECONDS} s of one task's work)`,
      (r) => r.visible / Math.max(r.running, 1),
      acceptableBacklog,
    ),
    {
      name: "queue-depth-steps",
      description: "step scaling on visible messages: +1/+2/+4 at 1/100/1000, −1 after 5 empty minutes",
      ...scaled,
      create: () => new QueueDepthSteps(),
    },
    {
      name: "fixed",
      description: `${floor} task${floor === 1 ? "" : "s"} always`,
      minCapacity: floor,
      maxCapacity: floor,
      initialTasks: floor,
      create: () => ({ onReading: () => {} }),
    },
    tracking(
      "stack+fast-out",
      `proposal: this stack's policy plus a 10-second step scale-out (3 datapoints above ${scaling.targetValue * FAST_THRESHOLD_FACTOR} → ×2)`,
      stackMetric,
      scaling.targetValue,
      () => new FastScaleOut(stackMetric, scaling.targetValue),
    ),
  ];
}

function all(policies: readonly ScalingPolicy[]): ScalingPolicy {
  return {
    onReading(reading: Reading, target: ScalableTarget) {
      for (const policy of policies) policy.onReading(reading, target);
    },
  };
}
