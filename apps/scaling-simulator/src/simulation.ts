/**
 * One run: a workload's uploads into one size's queue, the service working it off, the publisher
 * reading queue and service every 10 s, and a scaling policy acting on the readings.
 */
import { FARGATE_ARM_PRICES } from "./assumptions.js";
import { EventQueue } from "./event-queue.js";
import { FargateService } from "./fargate-service.js";
import type { PolicySetup } from "./policies/index.js";
import { Random } from "./random.js";
import { type Reading, TICK_SECONDS } from "./reading.js";
import { ScalableTarget, type ScaleAction } from "./scalable-target.js";
import type { SimSettings } from "./settings.js";
import { type Message, SqsQueue } from "./sqs-queue.js";
import type { Workload } from "./workloads.js";

/** After the workload's end, the run continues until every upload is processed, at most this long. */
const MAX_OVERTIME_SECONDS = 24 * 3600;

export interface RunResult {
  readonly policy: string;
  readonly uploads: number;
  readonly processed: number;
  /** Uploads processed more than once (a released message finished twice): must be 0. */
  readonly duplicates: number;
  /** Upload-to-output seconds of each processed upload, in upload order. */
  readonly latencies: Float64Array;
  /** First upload to last output, seconds. */
  readonly drainSeconds: number;
  readonly endSeconds: number;
  readonly peakTasks: number;
  readonly billedTaskSeconds: number;
  readonly actions: readonly ScaleAction[];
  /** One reading per tick, for the plot. */
  readonly readings: readonly Reading[];
}

export function simulate(
  settings: SimSettings,
  workload: Workload,
  setup: PolicySetup,
  seed: number,
): RunResult {
  const clock = new EventQueue();
  const random = new Random(seed);
  const queue = new SqsQueue();
  const { arrivals } = workload;
  const doneAt = new Float64Array(arrivals.length).fill(Number.NaN);
  let processed = 0;
  let duplicates = 0;
  let lastDone = 0;
  const service = new FargateService(clock, queue, random, settings, {
    completed(message: Message, at: number) {
      if (Number.isNaN(doneAt[message.id] as number)) {
        doneAt[message.id] = at;
        processed++;
      } else duplicates++;
      lastDone = Math.max(lastDone, at);
    },
  });
  const target = new ScalableTarget(setup.minCapacity, setup.maxCapacity, setup.initialTasks, (desired) =>
    service.setDesired(desired),
  );
  service.startRunning(setup.initialTasks);
  const policy = setup.create();

  // Arrivals are scheduled one ahead, so the event heap stays small for long workloads.
  const scheduleArrival = (index: number) => {
    if (index >= arrivals.length) return;
    clock.schedule(arrivals[index] as number, () => {
      queue.send({ id: index, receives: 0 });
      scheduleArrival(index + 1);
    });
  };
  scheduleArrival(0);

  const readings: Reading[] = [];
  let peakTasks = setup.initialTasks;
  const limit = workload.endSeconds + MAX_OVERTIME_SECONDS;
  const tick = (at: number) => {
    const reading: Reading = {
      at,
      visible: queue.visible,
      inFlight: queue.inFlight,
      running: service.running,
      desired: target.desired,
    };
    readings.push(reading);
    peakTasks = Math.max(peakTasks, reading.running);
    policy.onReading(reading, target);
    const next = at + TICK_SECONDS;
    if (next <= workload.endSeconds || (processed < arrivals.length && next <= limit))
      clock.schedule(next, () => tick(next));
  };
  clock.schedule(0, () => tick(0));
  clock.runUntil(limit);
  const endSeconds = readings[readings.length - 1]?.at ?? 0;

  const latencies = new Float64Array(processed);
  let filled = 0;
  doneAt.forEach((at, index) => {
    if (!Number.isNaN(at)) latencies[filled++] = at - (arrivals[index] as number);
  });
  return {
    policy: setup.name,
    uploads: arrivals.length,
    processed,
    duplicates,
    latencies,
    drainSeconds: processed > 0 ? lastDone - (arrivals[0] as number) : 0,
    endSeconds,
    peakTasks,
    billedTaskSeconds: service.billedSeconds(endSeconds, FARGATE_ARM_PRICES.minimumBilledSeconds),
    actions: target.actions,
    readings,
  };
}
