import type { MetricDatum } from "@aws-sdk/client-cloudwatch";
import { ICON_SIZE_DIMENSION, iconSizeDimension, METRIC_NAMES } from "@icon-fanout/config";
import { scalingMetric } from "@icon-fanout/scaling";
import type { SizeReading } from "./readings.js";

/** PutMetricData accepts at most 1,000 datums per call. */
export const MAX_DATUMS_PER_CALL = 1000;

/**
 * The datums one size publishes per tick: the scaling metric target tracking follows, and the
 * gauges the dashboard and the scale-from-zero alarms read. All high resolution (StorageResolution 1), stamped with the tick.
 */
export function datumsFor(reading: SizeReading, at: Date, acceptableMessagesPerTask: number): MetricDatum[] {
  const metric = scalingMetric(reading.running, reading.visible, acceptableMessagesPerTask);
  if (!Number.isFinite(metric)) throw new Error(`scaling metric for size ${reading.size} is ${metric}`);
  const dimensions = [{ Name: ICON_SIZE_DIMENSION, Value: iconSizeDimension(reading.size) }];
  const datum = (name: string, value: number, unit: "None" | "Count"): MetricDatum => ({
    MetricName: name,
    Dimensions: dimensions,
    Timestamp: at,
    Value: value,
    Unit: unit,
    StorageResolution: 1,
  });
  return [
    datum(METRIC_NAMES.scaling, metric, "None"),
    datum(METRIC_NAMES.backlogVisible, reading.visible, "Count"),
    datum(METRIC_NAMES.backlogInFlight, reading.inFlight, "Count"),
    datum(METRIC_NAMES.runningTasks, reading.running, "Count"),
    datum(METRIC_NAMES.desiredTasks, reading.desired, "Count"),
  ];
}

export function inBatches<T>(items: readonly T[], size: number = MAX_DATUMS_PER_CALL): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) batches.push(items.slice(start, start + size));
  return batches;
}
