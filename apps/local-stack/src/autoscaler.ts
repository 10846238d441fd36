/**
 * `pnpm local --autoscale`: each size's resizer processes follow the stack's scaling policies as
 * the simulator runs them (target tracking + start-first/stop-last steps), fed by the metric
 * publisher's real readings on the emulator. Time is compressed: one policy minute lasts
 * `periodSeconds`, so alarm periods and cooldowns shrink alike and the publisher ticks `periodSeconds / 6`.
 */
import { readFile } from "node:fs/promises";
import { localMetricsFile, localMetricsSchema } from "@icon-fanout/config";
import {
  type PolicySetup,
  type Reading,
  ScalableTarget,
  type ScaleAction,
  type ScalingPolicy,
  TICK_SECONDS,
} from "@icon-fanout/scaling-simulator/live";

/** One size's worker processes, as ECS runs a service's tasks. */
export interface WorkerPool {
  /** Processes started and not asked to stop (draining ones are still running, as on ECS). */
  active(): number;
  /** Starts one more process. */
  startOne(): void;
  /** SIGTERMs one process; it drains as an ECS task does. */
  stopOne(): void;
}

export interface ScaledSize {
  /** The key of the publisher's readings, e.g. `"16"`. */
  size: string;
  service: string;
  pool: WorkerPool;
}

export interface AutoscalerOptions {
  /** Real seconds one policy minute lasts: 60 is real time. */
  periodSeconds: number;
  stackFile: string;
  sizes: ScaledSize[];
  setup: PolicySetup;
  /** Called after a desired count changed. */
  onDesired?: (service: string, desired: number) => void;
  log?: (line: string) => void;
  /** How often the metrics file is checked for a new reading. */
  pollMs?: number;
  now?: () => number;
}

/** Real seconds one policy minute may last: whole seconds whose tenth of a minute is a whole publisher tick. */
export function checkAutoscalePeriod(seconds: number): number {
  if (!(Number.isInteger(seconds) && seconds >= 6 && seconds <= 60 && seconds % 6 === 0))
    throw new RangeError(
      `autoscale period ${seconds}s: must be 6 to 60 whole seconds, a multiple of 6 (the publisher's 10 s tick scales to period / 6)`,
    );
  return seconds;
}

/** The publisher's tick, in real seconds, when one policy minute lasts `periodSeconds`. */
export function publisherTickSeconds(periodSeconds: number): number {
  return (checkAutoscalePeriod(periodSeconds) * TICK_SECONDS) / 60;
}

interface Scaled {
  readonly size: ScaledSize;
  readonly target: ScalableTarget;
  readonly policy: ScalingPolicy;
}

export class LocalAutoscaler {
  private readonly scaled: Scaled[];
  private readonly factor: number;
  private readonly origin: number;
  private lastAt: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;

  constructor(private readonly options: AutoscalerOptions) {
    this.factor = 60 / checkAutoscalePeriod(options.periodSeconds);
    const now = options.now ?? Date.now;
    // Policy time 0 on a publisher tick, so ticks land on policy multiples of 10 s and periods on minutes.
    const tickMs = publisherTickSeconds(options.periodSeconds) * 1000;
    this.origin = Math.floor(now() / tickMs) * tickMs;
    const { setup } = options;
    this.scaled = options.sizes.map((size) => {
      const target = new ScalableTarget(
        setup.minCapacity,
        setup.maxCapacity,
        setup.initialTasks,
        (desired) => {
          this.converge(size, desired);
          options.onDesired?.(size.service, desired);
        },
      );
      return { size, target, policy: setup.create() };
    });
  }

  /** The desired count of a service now. */
  desired(service: string): number {
    const found = this.scaled.find((entry) => entry.size.service === service);
    if (!found) throw new Error(`the autoscaler does not scale ${service}`);
    return found.target.desired;
  }

  /** Every scale action of a service so far, at policy seconds. */
  actions(service: string): readonly ScaleAction[] {
    return this.scaled.find((entry) => entry.size.service === service)?.target.actions ?? [];
  }

  /** Policy seconds → real seconds. */
  realSeconds(policySeconds: number): number {
    return policySeconds / this.factor;
  }

  /** Starts the initial tasks and follows the publisher's readings. */
  start(): void {
    for (const { size, target } of this.scaled) this.converge(size, target.desired);
    this.timer = setInterval(() => {
      this.reading ??= this.readOnce()
        .catch((error: Error) =>
          this.options.log?.(`autoscaler: reading the metrics failed: ${error.message}`),
        )
        .finally(() => {
          this.reading = undefined;
        });
    }, this.options.pollMs ?? 100);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
  }

  /** Applies one publisher record: every size's reading to its policy, then ECS's convergence. */
  apply(at: Date, sizes: Record<string, Omit<Reading, "at">>): void {
    const policyAt = Math.round(((at.getTime() - this.origin) / 1000) * this.factor);
    for (const { size, target, policy } of this.scaled) {
      const values = sizes[size.size];
      if (!values) continue; // missing data: no datapoint, as in CloudWatch
      policy.onReading({ ...values, at: policyAt }, target);
      // ECS replaces a task that exited without being asked to.
      this.converge(size, target.desired);
    }
  }

  private async readOnce(): Promise<void> {
    let text: string;
    try {
      text = await readFile(localMetricsFile(this.options.stackFile), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // no tick published yet
      throw error;
    }
    const metrics = localMetricsSchema.parse(JSON.parse(text));
    if (metrics.at === this.lastAt) return;
    this.lastAt = metrics.at;
    this.apply(new Date(metrics.at), metrics.sizes);
  }

  private converge(size: ScaledSize, desired: number): void {
    const { pool } = size;
    let active = pool.active();
    if (active !== desired) this.options.log?.(`${size.service}: ${active} -> ${desired} task(s)`);
    for (; active < desired; active++) pool.startOne();
    for (; active > desired; active--) pool.stopOne();
  }
}
