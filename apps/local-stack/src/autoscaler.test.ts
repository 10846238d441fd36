import { readStackValues, simSettings } from "@icon-fanout/scaling-simulator/live";
import { describe, expect, it } from "vitest";
import { stackPolicy } from "./autoscaled-sizes.js";
import { LocalAutoscaler, publisherTickSeconds, type WorkerPool } from "./autoscaler.js";

const repoRoot = new URL("../../../", import.meta.url).pathname;
const ORIGIN = Date.UTC(2026, 0, 1);
/** The dev stack's `scaling.stopAfterIdleMinutes`: the test follows the deployed setting. */
const IDLE_MINUTES = simSettings("dev", readStackValues("dev", repoRoot)).scaling.stopAfterIdleMinutes;

/** A pool whose processes start and stop at once; `crash` ends one as if it exited unasked. */
function pool() {
  let running = 0;
  const events: string[] = [];
  const workers: WorkerPool & { crash(): void; events: string[]; running(): number } = {
    events,
    running: () => running,
    active: () => running,
    startOne: () => {
      running++;
      events.push("start");
    },
    stopOne: () => {
      running--;
      events.push("SIGTERM");
    },
    crash: () => {
      running--;
    },
  };
  return workers;
}

/** The dev stack's policy (minTasks 0), one policy minute per 6 real seconds. */
function autoscaler(workers: WorkerPool) {
  const scaler = new LocalAutoscaler({
    periodSeconds: 6,
    stackFile: "/nonexistent/stack.json",
    sizes: [{ size: "16", service: "resizer16", pool: workers }],
    setup: stackPolicy("dev", repoRoot),
    now: () => ORIGIN,
  });
  /** One publisher tick `tick` ticks (1 s each) after the origin. */
  const reading = (tick: number, visible: number, inFlight = 0) =>
    scaler.apply(new Date(ORIGIN + tick * 1000), {
      "16": { visible, inFlight, running: workers.active(), desired: scaler.desired("resizer16") },
    });
  return { scaler, reading };
}

describe("the local autoscaler", () => {
  it("ticks the publisher every tenth of a policy minute", () => {
    expect(publisherTickSeconds(6)).toBe(1);
    expect(publisherTickSeconds(60)).toBe(10);
    expect(() => publisherTickSeconds(5)).toThrow(/multiple of 6/);
  });

  it("starts the first task one period after a message waits, and stops the last after the stack's idle minutes", () => {
    const workers = pool();
    const { scaler, reading } = autoscaler(workers);
    reading(0, 0);
    expect(workers.events).toEqual([]);
    reading(1, 120);
    reading(2, 120); // closes the 10 s period in which a message waited with nothing desired
    expect(workers.events).toEqual(["start"]);
    expect(scaler.desired("resizer16")).toBe(1);
    // The queue is empty from tick 3 on; the first whole idle minute is policy 60-120 s (ticks 6-11),
    // so the last idle minute closes at tick 6 × (IDLE_MINUTES + 1).
    const lastIdleMinuteClosed = 6 * (IDLE_MINUTES + 1);
    for (let tick = 3; tick < lastIdleMinuteClosed; tick++) reading(tick, 0);
    expect(workers.events).toEqual(["start"]);
    reading(lastIdleMinuteClosed, 0);
    expect(workers.events).toEqual(["start", "SIGTERM"]);
    expect(scaler.actions("resizer16").map((action) => [action.from, action.to, action.by])).toEqual([
      [0, 1, "start-first-task"],
      [1, 0, "stop-last-task"],
    ]);
    expect(scaler.realSeconds(scaler.actions("resizer16")[1]?.at ?? 0)).toBe(lastIdleMinuteClosed);
  });

  it("replaces a task that exited unasked, as ECS keeps the desired count", () => {
    const workers = pool();
    const { reading } = autoscaler(workers);
    reading(0, 50);
    reading(1, 50);
    expect(workers.running()).toBe(1);
    workers.crash();
    reading(2, 50, 10);
    expect(workers.events).toEqual(["start", "start"]);
    expect(workers.running()).toBe(1);
  });
});
