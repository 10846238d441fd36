/**
 * Step scaling on queue depth, as the ECS-with-SQS step-scaling designs do it: an alarm on the
 * queue's visible messages (here the publisher's BacklogVisible gauge, one-minute Maximum) adds
 * tasks in steps by depth, and a second alarm removes one task after five minutes with nothing
 * visible. It starts from zero by itself.
 */
import { PeriodAlarm } from "../alarm.js";
import type { Reading } from "../reading.js";
import type { ScalableTarget, ScalingPolicy } from "../scalable-target.js";

/** [lower bound of visible messages, tasks added], highest first. */
export const DEPTH_STEPS: ReadonlyArray<readonly [number, number]> = [
  [1000, 4],
  [100, 2],
  [1, 1],
];
export const EMPTY_MINUTES_BEFORE_SCALE_IN = 5;
const COOLDOWN_SECONDS = 60;

const maxVisible = (readings: readonly Reading[]) => Math.max(...readings.map((r) => r.visible));

export class QueueDepthSteps implements ScalingPolicy {
  private readonly out = new PeriodAlarm({
    periodSeconds: 60,
    datapoints: 1,
    datapoint: maxVisible,
    breaching: (value) => value >= 1,
  });
  private readonly in = new PeriodAlarm({
    periodSeconds: 60,
    datapoints: EMPTY_MINUTES_BEFORE_SCALE_IN,
    datapoint: maxVisible,
    breaching: (value) => value === 0,
  });
  private outUntil = Number.NEGATIVE_INFINITY;
  private inUntil = Number.NEGATIVE_INFINITY;

  onReading(reading: Reading, target: ScalableTarget): void {
    const out = this.out.push(reading);
    const scaleIn = this.in.push(reading);
    if (out?.alarm && out.value !== undefined && reading.at >= this.outUntil) {
      const depth = out.value;
      const step = DEPTH_STEPS.find(([lower]) => depth >= lower)?.[1] ?? 0;
      if (target.set(reading.at, target.desired + step, "queue-depth-out"))
        this.outUntil = reading.at + COOLDOWN_SECONDS;
    } else if (scaleIn?.alarm && reading.at >= this.inUntil) {
      if (target.set(reading.at, target.desired - 1, "queue-depth-in"))
        this.inUntil = reading.at + COOLDOWN_SECONDS;
    }
  }
}
