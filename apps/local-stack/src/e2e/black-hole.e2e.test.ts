import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRAIN_SECONDS, EXIT_MARGIN_SECONDS, type FaultBench, startFaultBench } from "./fault-bench.js";

/**
 * The fault that once hung the worker for good (docs/architecture.md, "Faults"): every connection
 * to S3 and SQS black-holed for 20 s. With the production visibility timeout, the worker must
 * recover by itself within one visibility timeout after the heal, and SIGTERM in the hole must end
 * it within its drain.
 */

const BLACK_HOLE_MS = 20_000;
/** The dev and prod stacks' visibility timeout. */
const VISIBILITY_TIMEOUT_SECONDS = 60;
const RECOVERY_MS = VISIBILITY_TIMEOUT_SECONDS * 1000;

let bench: FaultBench;
beforeAll(async () => {
  bench = await startFaultBench(VISIBILITY_TIMEOUT_SECONDS);
});
afterAll(async () => {
  bench?.report("black-hole-recovery");
  await bench?.stop();
});

/** Starts a worker, uploads `count` icons and waits until its S3 calls are in flight. */
async function busyWorker(scenario: string, count: number) {
  const worker = bench.startWorker();
  const icons = await bench.icons(scenario, count);
  // Slow S3 keeps calls in flight when the hole opens, so the hole swallows them.
  await bench.s3Proxy.set({ kind: "delay", ms: 500 });
  const requestsBefore = bench.s3Proxy.counts.requests;
  await bench.upload(icons);
  await expect
    .poll(() => bench.s3Proxy.counts.requests - requestsBefore, { timeout: 30_000, interval: 50 })
    .toBeGreaterThanOrEqual(count);
  return { worker, icons };
}

describe("the worker after a 20 s black hole between it and S3/SQS", () => {
  it("recovers by itself within a visibility timeout after the heal and writes every output", async () => {
    const before = await bench.deadLetters();
    const { worker, icons } = await busyWorker("black-hole", 12);
    await bench.setBoth({ kind: "black-hole" });
    await sleep(BLACK_HOLE_MS);
    expect(bench.s3Proxy.counts.swallowed + bench.sqsProxy.counts.swallowed).toBeGreaterThan(0);
    const healedAt = await bench.heal();
    await bench.finish({
      scenario: "black-hole",
      fault: "S3 and SQS black-holed 20 s mid-work",
      worker,
      sources: icons,
      healedAt,
      deadLettersBefore: before,
      recoveryMs: RECOVERY_MS,
    });
  });

  it("exits within its drain after SIGTERM in the black hole; the next worker writes every output", async () => {
    const before = await bench.deadLetters();
    const { worker: trapped, icons } = await busyWorker("black-hole-sigterm", 12);
    await bench.setBoth({ kind: "black-hole" });
    await sleep(3_000);
    const exit = await bench.sigterm(trapped);
    expect(exit.code).toBe(0);
    expect(exit.seconds).toBeLessThan(DRAIN_SECONDS + EXIT_MARGIN_SECONDS);
    await sleep(Math.max(0, BLACK_HOLE_MS - 3_000 - exit.seconds * 1000));
    const healedAt = await bench.heal();
    const worker = bench.startWorker();
    // What the trapped worker held could not be released through the hole: it returns after its visibility timeout.
    await bench.finish({
      scenario: "black-hole-sigterm",
      fault: `SIGTERM 3 s into a 20 s black hole: exit in ${exit.seconds.toFixed(2)} s`,
      worker,
      sources: icons,
      healedAt,
      deadLettersBefore: before,
      recoveryMs: RECOVERY_MS,
    });
  });
});
