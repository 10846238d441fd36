/**
 * A CloudWatch metric alarm over the publisher's 10-second readings: one datapoint per period
 * (the readings of that period reduced by `datapoint`), in ALARM when the last `datapoints`
 * datapoints all breach ("N out of N"). A period without readings is missing data, treated as
 * not breaching (`treatMissingData: notBreaching`; for target tracking's alarms missing data means
 * INSUFFICIENT_DATA, which equally takes no action).
 */
import type { Reading } from "./reading.js";

export interface AlarmSpec {
  readonly periodSeconds: number;
  readonly datapoints: number;
  readonly datapoint: (readings: readonly Reading[]) => number;
  readonly breaching: (value: number) => boolean;
}

export class PeriodAlarm {
  private current: Reading[] = [];
  private currentPeriod = -1;
  private readonly recent: Array<number | undefined> = [];

  constructor(private readonly spec: AlarmSpec) {
    if (!Number.isInteger(spec.datapoints) || spec.datapoints < 1)
      throw new RangeError(`datapoints must be a positive integer, got ${spec.datapoints}`);
  }

  /**
   * Adds a reading. When it opens a new period, the one before is complete and evaluated first:
   * the result is the alarm's state after that evaluation (`undefined` when nothing was evaluated).
   */
  push(reading: Reading): { alarm: boolean; value: number | undefined } | undefined {
    const period = Math.floor(reading.at / this.spec.periodSeconds);
    let evaluation: { alarm: boolean; value: number | undefined } | undefined;
    if (period !== this.currentPeriod) {
      if (this.currentPeriod >= 0) evaluation = this.close(period - this.currentPeriod - 1);
      this.currentPeriod = period;
    }
    this.current.push(reading);
    return evaluation;
  }

  private close(skippedPeriods: number): { alarm: boolean; value: number | undefined } {
    const value = this.current.length > 0 ? this.spec.datapoint(this.current) : undefined;
    this.current = [];
    this.remember(value);
    for (let i = 0; i < skippedPeriods; i++) this.remember(undefined);
    const alarm =
      this.recent.length === this.spec.datapoints &&
      this.recent.every((point) => point !== undefined && this.spec.breaching(point));
    return { alarm, value };
  }

  private remember(value: number | undefined): void {
    this.recent.push(value);
    if (this.recent.length > this.spec.datapoints) this.recent.shift();
  }
}

export const average = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;
