/** CloudWatch names shared by the metric publisher, the scaling policies, the alarms and the dashboard. */

export const METRIC_NAMESPACE = "Service/ImageResize";

export const METRIC_NAMES = {
  /** The scaling metric target tracking holds at its target (docs/architecture.md, "Scaling"). */
  scaling: "EcsTargetMetric",
  /** Gauges published beside it for the dashboard and the scale-from-zero alarms. */
  backlogVisible: "BacklogVisible",
  backlogInFlight: "BacklogInFlight",
  runningTasks: "RunningTasks",
  /** The service's desired count: starting the first task keys on it (tasks asked for may not run yet). */
  desiredTasks: "DesiredTasks",
} as const;

export const ICON_SIZE_DIMENSION = "IconSize";

/** The `IconSize` dimension value for a size, e.g. `size16`. */
export function iconSizeDimension(size: number): string {
  return `size${size}`;
}

/** Seconds between two publications; the alarms and the step policy evaluate at this period. */
export const METRIC_PERIOD_SECONDS = 10;
