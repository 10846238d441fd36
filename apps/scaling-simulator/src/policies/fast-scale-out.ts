/**
 * A proposal, not what the stack deploys: a step-scaling scale-out policy on the 10-second
 * `EcsTargetMetric` itself. An alarm on a metric stored with StorageResolution 1 may use a 10, 20 or
 * 30 s period (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html, Period),
 * so it can act after 30 s where target tracking's one-minute alarms need three minutes.
 * Three 10-second datapoints above 1.5 × target add 100 % of the desired tasks (at least one),
 * with a 60 s cooldown; target tracking keeps scale-in.
 */
import { average, PeriodAlarm } from "../alarm.js";
import type { Reading } from "../reading.js";
import type { ScalableTarget, ScalingPolicy } from "../scalable-target.js";

export const FAST_DATAPOINTS = 3;
export const FAST_THRESHOLD_FACTOR = 1.5;
const COOLDOWN_SECONDS = 60;

export class FastScaleOut implements ScalingPolicy {
  private readonly alarm: PeriodAlarm;
  private until = Number.NEGATIVE_INFINITY;

  constructor(metric: (reading: Reading) => number, targetValue: number) {
    this.alarm = new PeriodAlarm({
      periodSeconds: 10,
      datapoints: FAST_DATAPOINTS,
      datapoint: (readings) => average(readings.map(metric)),
      breaching: (value) => value > targetValue * FAST_THRESHOLD_FACTOR,
    });
  }

  onReading(reading: Reading, target: ScalableTarget): void {
    if (this.alarm.push(reading)?.alarm && reading.at >= this.until && target.desired > 0) {
      if (target.set(reading.at, target.desired * 2, "fast-scale-out"))
        this.until = reading.at + COOLDOWN_SECONDS;
    }
  }
}
