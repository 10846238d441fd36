/**
 * Application Auto Scaling target tracking on a metric, as AWS documents it for ECS services:
 * - Its two alarms use one-minute periods: Application Auto Scaling's TargetTrackingMetricStat
 *   has no Period (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingMetricStat.html),
 *   unlike EC2 Auto Scaling's, which accepts 10, 30 or 60 s
 *   (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_TargetTrackingMetricStat.html);
 *   ECS's 20-second target tracking covers only its predefined CPU and memory metrics
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/target-tracking-faster-auto-scaling.html).
 *   A 10-second custom metric is therefore averaged over each minute.
 * - The high alarm needs 3 of 3 minutes above target, the low alarm 15 of 15 minutes below
 *   90 % of it ("typically more than 10 % lower",
 *   https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html;
 *   the counts as reported in https://github.com/aws/containers-roadmap/issues/1208).
 *   While an alarm stays in ALARM its action repeats every minute.
 * - The new capacity is proportional: ceil(capacity × metric / target).
 * - Scale-out cooldown: capacity added by the scale-out that started it counts as already there,
 *   so only a larger scale-out acts before it ends. Scale-in cooldown: no scale-in until it ends;
 *   a scale-out ends it (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html#target-tracking-cooldown).
 */
import { average, PeriodAlarm } from "../alarm.js";
import type { Reading } from "../reading.js";
import type { ScalableTarget, ScalingPolicy } from "../scalable-target.js";

export const HIGH_ALARM_MINUTES = 3;
export const LOW_ALARM_MINUTES = 15;
export const LOW_ALARM_FRACTION = 0.9;

export interface TargetTrackingOptions {
  readonly name: string;
  /** The metric's value for one reading. */
  readonly metric: (reading: Reading) => number;
  readonly targetValue: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export class TargetTracking implements ScalingPolicy {
  private readonly high: PeriodAlarm;
  private readonly low: PeriodAlarm;
  private scaleOutUntil = Number.NEGATIVE_INFINITY;
  private scaleOutBase = 0;
  private scaleInUntil = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: TargetTrackingOptions) {
    const datapoint = (readings: readonly Reading[]) => average(readings.map(options.metric));
    this.high = new PeriodAlarm({
      periodSeconds: 60,
      datapoints: HIGH_ALARM_MINUTES,
      datapoint,
      breaching: (value) => value > options.targetValue,
    });
    this.low = new PeriodAlarm({
      periodSeconds: 60,
      datapoints: LOW_ALARM_MINUTES,
      datapoint,
      breaching: (value) => value < options.targetValue * LOW_ALARM_FRACTION,
    });
  }

  onReading(reading: Reading, target: ScalableTarget): void {
    const high = this.high.push(reading);
    const low = this.low.push(reading);
    if (high?.alarm && high.value !== undefined) this.scaleOut(reading.at, high.value, target);
    else if (low?.alarm && low.value !== undefined) this.scaleIn(reading.at, low.value, target);
  }

  private scaleOut(at: number, value: number, target: ScalableTarget): void {
    const ratio = value / this.options.targetValue;
    const inCooldown = at < this.scaleOutUntil;
    const base = inCooldown ? this.scaleOutBase : target.desired;
    const wanted = Math.ceil(base * ratio - 1e-9);
    if (wanted <= target.desired) return;
    if (!inCooldown) this.scaleOutBase = target.desired;
    if (target.set(at, wanted, this.options.name)) {
      this.scaleOutUntil = at + this.options.scaleOutCooldownSeconds;
      this.scaleInUntil = Number.NEGATIVE_INFINITY;
    }
  }

  private scaleIn(at: number, value: number, target: ScalableTarget): void {
    if (at < this.scaleInUntil) return;
    const wanted = Math.ceil(target.desired * (value / this.options.targetValue) - 1e-9);
    if (wanted >= target.desired) return;
    if (target.set(at, wanted, this.options.name))
      this.scaleInUntil = at + this.options.scaleInCooldownSeconds;
  }
}
