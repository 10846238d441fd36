import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppProcess } from "../app-processes.js";
import type { Fault } from "../fault-proxy/fault.js";
import {
  DRAIN_SECONDS,
  EXIT_MARGIN_SECONDS,
  type FaultBench,
  seconds,
  startFaultBench,
} from "./fault-bench.js";
import { hostileFiles } from "./hostile-files.js";

/**
 * The real worker against faults between it and S3/SQS (docs/architecture.md, "Faults"): each
 * scenario starts a worker, uploads, injects a fault for a while, heals, and checks that every
 * output is written, nothing good is dead-lettered, SIGTERM ends the worker in time, and measures
 * the recovery after the heal.
 */

const FAULT_MS = 6_000;
/** Short, so that the messages a killed worker held come back within the suite's time. */
const VISIBILITY_TIMEOUT_SECONDS = 10;
/** After the heal, everything must be written within a visibility timeout plus the work itself. */
const RECOVERY_MS = (VISIBILITY_TIMEOUT_SECONDS + 10) * 1000;

let bench: FaultBench;
beforeAll(async () => {
  bench = await startFaultBench(VISIBILITY_TIMEOUT_SECONDS);
});
afterAll(async () => {
  bench?.report("fault-recovery");
  await bench?.stop();
});

const both = (fault: Fault) => bench.setBoth(fault);
const heal = () => bench.heal();
const finish = (
  scenario: string,
  fault: string,
  worker: AppProcess,
  sources: Map<string, Buffer>,
  healedAt: number,
  deadLettersBefore: number,
) => bench.finish({ scenario, fault, worker, sources, healedAt, deadLettersBefore, recoveryMs: RECOVERY_MS });

describe("the worker under faults between it and S3/SQS", () => {
  it("outage: every connection refused for 6 s, then healed", async () => {
    const before = await bench.deadLetters();
    const worker = bench.startWorker();
    const icons = await bench.icons("outage", 12);
    await both({ kind: "refuse" });
    await bench.upload(icons);
    await sleep(FAULT_MS);
    const healedAt = await heal();
    await finish("outage", "S3 and SQS refuse connections, 6 s", worker, icons, healedAt, before);
  });

  it("throttling: 30 % of S3 requests answered 503 SlowDown", async () => {
    const before = await bench.deadLetters();
    const worker = bench.startWorker();
    const icons = await bench.icons("throttling", 20);
    await bench.s3Proxy.set({ kind: "http-error", status: 503, share: 0.3 });
    await bench.upload(icons);
    await sleep(FAULT_MS);
    const healedAt = await heal();
    expect(bench.s3Proxy.counts.errors).toBeGreaterThan(0);
    await finish("throttling", "S3: 503 SlowDown for 30 % of requests, 6 s", worker, icons, healedAt, before);
  });

  it("resets: 20 % of the worker's writes to S3 and SQS answered with a TCP reset", async () => {
    const before = await bench.deadLetters();
    const resetsBefore = bench.s3Proxy.counts.resets + bench.sqsProxy.counts.resets;
    const worker = bench.startWorker();
    const icons = await bench.icons("resets", 16);
    await both({ kind: "reset", share: 0.2 });
    await bench.upload(icons);
    await sleep(FAULT_MS);
    const healedAt = await heal();
    expect(bench.s3Proxy.counts.resets + bench.sqsProxy.counts.resets).toBeGreaterThan(resetsBefore);
    await finish("resets", "S3 and SQS: TCP reset for 20 % of writes, 6 s", worker, icons, healedAt, before);
  });

  it("vanished source: sources deleted before the worker could read them get no output and no dead letter", async () => {
    const before = await bench.deadLetters();
    const worker = bench.startWorker();
    const icons = await bench.icons("vanished", 10);
    await bench.sqsProxy.set({ kind: "refuse" });
    await bench.upload(icons);
    const vanished = [...icons.keys()].slice(0, 4);
    for (const key of vanished) await bench.stack.remove(key);
    const survivors = new Map([...icons].filter(([key]) => !vanished.includes(key)));
    await sleep(2_000);
    const healedAt = await heal();
    await finish(
      "vanished",
      "4 of 10 sources deleted while SQS refused",
      worker,
      survivors,
      healedAt,
      before,
    );
  });

  it("hostile files, with 20 % of S3 writes reset: only the hostile files are dead-lettered", async () => {
    const before = await bench.deadLetters();
    const worker = bench.startWorker();
    const icons = await bench.icons("hostile-mix", 8);
    const hostile = hostileFiles();
    await bench.s3Proxy.set({ kind: "reset", share: 0.2 });
    await bench.upload(icons);
    for (const [key, bytes] of Object.entries(hostile)) await bench.stack.put(key, bytes);
    await sleep(FAULT_MS);
    const healedAt = await heal();
    const writtenAt = await bench.outputsWritten("hostile-mix", icons, RECOVERY_MS);
    await expect
      .poll(() => bench.deadLetters(), { timeout: RECOVERY_MS, interval: 250 })
      .toBe(before + Object.keys(hostile).length);
    const exit = await bench.sigterm(worker);
    expect(exit.code).toBe(0);
    expect(exit.seconds).toBeLessThan(DRAIN_SECONDS + EXIT_MARGIN_SECONDS);
    bench.record({
      scenario: "hostile",
      fault: "5 hostile files; S3: TCP reset for 20 % of writes",
      recoverySeconds: seconds(healedAt, writtenAt),
      sigtermExitSeconds: exit.seconds,
      outputs: icons.size,
      deadLettered: (await bench.deadLetters()) - before,
    });
  });

  it("kill -9 in the middle of work, then a new worker: the killed worker's messages come back and are done", async () => {
    const before = await bench.deadLetters();
    const killed = bench.startWorker();
    const icons = await bench.icons("kill-9", 16);
    // Every S3 call takes over 2 s: the kill comes while the first reads are in flight, before any write.
    await bench.s3Proxy.set({ kind: "delay", ms: 1_000 });
    const requestsBefore = bench.s3Proxy.counts.requests;
    await bench.upload(icons);
    await expect
      .poll(() => bench.s3Proxy.counts.requests - requestsBefore, { timeout: 30_000, interval: 50 })
      .toBeGreaterThanOrEqual(icons.size);
    await bench.kill9(killed);
    const restartedAt = await heal();
    const worker = bench.startWorker();
    await finish("kill-9", "SIGKILL mid-work (S3 delayed 1 s), restart", worker, icons, restartedAt, before);
    // The new worker did the killed one's messages once their visibility timeout ran out.
    const redelivered = bench
      .logOf(worker)
      .filter(
        (line) => line.msg === "message" && Number(line.receiveCount) >= 2 && line.outcome === "resized",
      );
    expect(redelivered.length).toBeGreaterThan(0);
  });

  it("slow S3 and SIGTERM: the worker exits within its drain, and the next one finishes the work", async () => {
    const before = await bench.deadLetters();
    const slow = bench.startWorker();
    const icons = await bench.icons("slow-s3", 8);
    // Each S3 call takes over 6 s: the work in flight cannot finish within the drain.
    await bench.s3Proxy.set({ kind: "delay", ms: 3_000 });
    const requestsBefore = bench.s3Proxy.counts.requests;
    await bench.upload(icons);
    await expect
      .poll(() => bench.s3Proxy.counts.requests, { timeout: 30_000, interval: 50 })
      .toBeGreaterThan(requestsBefore);
    const exit = await bench.sigterm(slow);
    expect(exit.code).toBe(0);
    expect(exit.seconds).toBeLessThan(DRAIN_SECONDS + EXIT_MARGIN_SECONDS);
    const healedAt = await heal();
    const worker = bench.startWorker();
    await finish(
      "slow-s3",
      `S3 delayed 3 s each way; SIGTERM took ${exit.seconds.toFixed(2)} s`,
      worker,
      icons,
      healedAt,
      before,
    );
  });
});
