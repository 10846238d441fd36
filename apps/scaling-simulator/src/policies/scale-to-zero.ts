/**
 * The stack's two step policies for `minTasks: 0` (infra/src/compute/resizer-scaling.ts):
 * - start first task: one 10-second period of IF(max BacklogVisible > 0 AND max DesiredTasks == 0)
 *   → ChangeInCapacity +1;
 * - stop last task: `scaling.stopAfterIdleMinutes` 60-second periods of IF(max BacklogVisible +
 *   max BacklogInFlight == 0 AND min RunningTasks > 0) → ExactCapacity 0.
 * Each has a 60 s cooldown; an alarm that stays in ALARM repeats its action every period.
 */
import { PeriodAlarm } from "../alarm.js";
import type { Reading } from "../reading.js";
import type { ScalableTarget, ScalingPolicy } from "../scalable-target.js";

export const STEP_COOLDOWN_SECONDS = 60;

const max = (readings: readonly Reading[], pick: (reading: Reading) => number) =>
  Math.max(...readings.map(pick));
const min = (readings: readonly Reading[], pick: (reading: Reading) => number) =>
  Math.min(...readings.map(pick));

export class ScaleToZeroSteps implements ScalingPolicy {
  private readonly startFirst = new PeriodAlarm({
    periodSeconds: 10,
    datapoints: 1,
    datapoint: (readings) =>
      max(readings, (r) => r.visible) > 0 && max(readings, (r) => r.desired) === 0 ? 1 : 0,
    breaching: (value) => value >= 1,
  });
  private readonly stopLast: PeriodAlarm;
  private startUntil = Number.NEGATIVE_INFINITY;
  private stopUntil = Number.NEGATIVE_INFINITY;

  /** `idleMinutes`: the stop-last-task alarm's one-minute periods with the queue empty. */
  constructor(idleMinutes: number) {
    this.stopLast = new PeriodAlarm({
      periodSeconds: 60,
      datapoints: idleMinutes,
      datapoint: (readings) =>
        max(readings, (r) => r.visible) + max(readings, (r) => r.inFlight) === 0 &&
        min(readings, (r) => r.running) > 0
          ? 1
          : 0,
      breaching: (value) => value >= 1,
    });
  }

  onReading(reading: Reading, target: ScalableTarget): void {
    if (this.startFirst.push(reading)?.alarm && reading.at >= this.startUntil) {
      if (target.set(reading.at, target.desired + 1, "start-first-task"))
        this.startUntil = reading.at + STEP_COOLDOWN_SECONDS;
    }
    if (this.stopLast.push(reading)?.alarm && reading.at >= this.stopUntil) {
      if (target.set(reading.at, 0, "stop-last-task")) this.stopUntil = reading.at + STEP_COOLDOWN_SECONDS;
    }
  }
}
