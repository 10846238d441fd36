/**
 * What a live autoscaler reuses from the simulator (`@icon-fanout/scaling-simulator/live`): the
 * stack's settings, its policies and scalable target fed with real readings, and the simulation
 * itself to predict a run the live stack then measures.
 */
export { type PolicySetup, policySetups } from "./policies/index.js";
export { type Reading, TICK_SECONDS } from "./reading.js";
export { ScalableTarget, type ScaleAction, type ScalingPolicy } from "./scalable-target.js";
export { readStackValues, SettingsError, type SimSettings, simSettings } from "./settings.js";
export { type RunResult, simulate } from "./simulation.js";
export { type Workload, workloadFrom } from "./workloads.js";
