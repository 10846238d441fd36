/**
 * The service's scalable target (`ecs:service:DesiredCount`): every policy sets the desired count
 * through it, clamped to min and max capacity, and it records each change as a scale action.
 */
export interface ScaleAction {
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly by: string;
}

export class ScalableTarget {
  readonly actions: ScaleAction[] = [];

  constructor(
    readonly minCapacity: number,
    readonly maxCapacity: number,
    private current: number,
    private readonly apply: (desired: number) => void,
  ) {
    if (!(minCapacity >= 0 && minCapacity <= maxCapacity))
      throw new RangeError(`capacity range ${minCapacity}..${maxCapacity} is not valid`);
  }

  get desired(): number {
    return this.current;
  }

  /** Sets the desired count (clamped); returns whether it changed. */
  set(at: number, desired: number, by: string): boolean {
    const clamped = Math.max(this.minCapacity, Math.min(this.maxCapacity, desired));
    if (clamped === this.current) return false;
    this.actions.push({ at, from: this.current, to: clamped, by });
    this.current = clamped;
    this.apply(clamped);
    return true;
  }
}

/** A scaling policy: it sees every published reading and may set the desired count. */
export interface ScalingPolicy {
  onReading(reading: import("./reading.js").Reading, target: ScalableTarget): void;
}
