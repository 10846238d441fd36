/**
 * The worker when its network fails (docs/architecture.md, "Faults"), on a fake clock: work that
 * stops making progress, a drain on a network that never answers, and dependencies that fail for
 * a while and then heal. The fake queue runs ten milliseconds to the queue second.
 */
import { createLogger } from "@icon-fanout/log";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, VisibilityChange, WorkQueue } from "./ports.js";
import { ScaleInProtection } from "./scale-in-protection.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { FakeSqs } from "./testing/fake-sqs.js";
import { jobFor, type LogLine, workerFor } from "./testing/worker-harness.js";
import type { Worker, WorkerOptions } from "./worker.js";

const SECOND = 10;

function bodies(count: number, options: Partial<ConstructorParameters<typeof FakeSqs>[0]> = {}) {
  const sqs = new FakeSqs({
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 10,
    secondMs: SECOND,
    ...options,
  });
  for (let i = 0; i < count; i += 1) sqs.send(`m${i}`);
  return sqs;
}

const done = (): MessageResult => ({ action: "delete", outcome: "ignored", objects: [] });
const never = () => new Promise<MessageResult>(() => {});
const named = (lines: LogLine[], msg: string) => lines.filter((line) => line.msg === msg);

function start(queue: WorkQueue, overrides: Partial<WorkerOptions>) {
  const { worker, lines } = workerFor(queue, new FakeS3(), jobFor(16), overrides);
  let settled = false;
  const run = worker.run().then(() => {
    settled = true;
  });
  return { worker, lines, run, settled: () => settled };
}

/** Advances the fake clock a queue second at a time until `done` holds, for at most `seconds`. */
async function advanceUntil(done: () => boolean, seconds: number): Promise<void> {
  for (let second = 0; second < seconds && !done(); second += 1) await vi.advanceTimersByTimeAsync(SECOND);
}

async function stopAndSettle(worker: Worker, run: Promise<void>): Promise<void> {
  worker.stop();
  await vi.advanceTimersByTimeAsync(60 * SECOND);
  await run;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("work that stops making progress", () => {
  it("is given up: its slot is freed, its visibility no longer extended, and its message returns", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(3);
    const extended: string[] = [];
    const queue: WorkQueue = {
      receive: (max, wait, signal) => sqs.receive(max, wait, signal),
      delete: (messages, signal) => sqs.delete(messages, signal),
      deadLetter: (message, reason, signal) => sqs.deadLetter(message, reason, signal),
      changeVisibility: (changes: VisibilityChange[], signal) => {
        extended.push(...changes.filter((change) => change.seconds > 0).map((change) => change.message.body));
        return sqs.changeVisibility(changes, signal);
      },
    };
    let stuckSignal: AbortSignal | undefined;
    const handled: string[] = [];
    const { worker, lines, run } = start(queue, {
      concurrency: 1,
      stallSeconds: 10,
      handle: async (message: ReceivedMessage, work) => {
        if (message.body === "m0" && message.receiveCount === 1) {
          stuckSignal = work.signal;
          return never(); // deaf to its signal: only the worker's bookkeeping can free the slot
        }
        handled.push(`${message.body}#${message.receiveCount}`);
        return done();
      },
    });
    await vi.advanceTimersByTimeAsync(9 * SECOND);
    expect(handled).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * SECOND);
    // Stalled after 10 s: the other messages went through the freed slot.
    expect(stuckSignal?.aborted).toBe(true);
    expect(handled).toEqual(["m1#1", "m2#1"]);
    await advanceUntil(() => sqs.depth().visible + sqs.depth().inFlight === 0, 60);
    // Not extended, so visible again once its 30 s ran out, and done by this same healthy worker.
    expect(handled).toEqual(["m1#1", "m2#1", "m0#2"]);
    expect(extended).not.toContain("m0");
    const stalled = named(lines, "work stalled; its message returns to the queue");
    expect(stalled).toMatchObject([{ receiveCount: 1 }]);
    // Checked every quarter of the stall deadline.
    expect(stalled[0]?.stalledSeconds).toBeGreaterThanOrEqual(10);
    expect(stalled[0]?.stalledSeconds).toBeLessThanOrEqual(13);
    await stopAndSettle(worker, run);
  });

  it("still deletes a given-up message whose work finishes later, and leaves a late failure to SQS", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(2);
    const late = new Map<string, (result: MessageResult) => void>();
    const { worker, run } = start(sqs, {
      concurrency: 2,
      stallSeconds: 5,
      handle: (message) => new Promise<MessageResult>((resolve) => late.set(message.body, resolve)),
    });
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(worker.held).toBe(0); // both given up
    const changes = sqs.requests.changeVisibility;
    late.get("m0")?.(done());
    late.get("m1")?.({ action: "retry", outcome: "failed", reason: "SlowDown" });
    await vi.advanceTimersByTimeAsync(10 * SECOND); // the deletes' linger is 50 ms, 5 queue seconds
    // m0's output is durable: deleted. m1 returns when its visibility runs out, not after a backoff.
    expect(sqs.depth()).toEqual({ visible: 0, inFlight: 1 });
    expect(sqs.requests.changeVisibility).toBe(changes);
    await stopAndSettle(worker, run);
  });

  it("keeps polling while more work stalls than it has slots", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(12);
    let finished = 0;
    const { worker, run } = start(sqs, {
      concurrency: 2,
      stallSeconds: 5,
      handle: async (message) => {
        if (message.receiveCount === 1 && Number(message.body.slice(1)) < 4) return never();
        finished += 1;
        return done();
      },
    });
    await advanceUntil(() => sqs.depth().visible + sqs.depth().inFlight === 0, 120);
    expect(finished).toBe(12);
    await stopAndSettle(worker, run);
  });

  it("releases scale-in protection when all it holds is stalled", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const switched: boolean[] = [];
    const agent = (async (_url: string, init: RequestInit) => {
      switched.push((JSON.parse(String(init.body)) as { ProtectionEnabled: boolean }).ProtectionEnabled);
      return new Response("{}", { status: 200 });
    }) as unknown as typeof fetch;
    const protection = new ScaleInProtection(
      "http://agent",
      createLogger({ write: () => {} }),
      SECOND,
      agent,
    );
    const { worker, run } = start(bodies(2), { concurrency: 2, stallSeconds: 10, handle: never, protection });
    await vi.advanceTimersByTimeAsync(5 * SECOND);
    expect(switched).toEqual([true]);
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(switched).toEqual([true, false]);
    await stopAndSettle(worker, run);
  });
});

describe("the drain after stop(), on a network that never answers", () => {
  it("returns within the drain deadline, logging what it could not release", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(10);
    const { worker, lines, run, settled } = start(sqs, {
      concurrency: 1,
      drainSeconds: 30,
      queueCallSeconds: 5,
      handle: never,
    });
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(worker.held).toBe(10);
    sqs.outage = "black hole";
    worker.stop();
    await vi.advanceTimersByTimeAsync(29 * SECOND);
    expect(settled()).toBe(false);
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(settled()).toBe(true);
    await run;
    expect(named(lines, "messages not released; they return after their visibility timeout")).toHaveLength(2);
    expect(named(lines, "returned unstarted")).toMatchObject([{ count: 9 }]);
    expect(named(lines, "released unfinished at the drain deadline")).toMatchObject([{ count: 1 }]);
    expect(named(lines, "drained")).toMatchObject([{ returned: 9, unfinished: 1 }]);
  });

  it("does not wait past the drain deadline for deletes that never return", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(3);
    const { promise: gate, resolve: open } = Promise.withResolvers<void>();
    const { worker, lines, run, settled } = start(sqs, {
      concurrency: 3,
      drainSeconds: 30,
      queueCallSeconds: 100,
      ackLingerMs: 5,
      handle: async () => {
        await gate;
        return done();
      },
    });
    await vi.advanceTimersByTimeAsync(SECOND);
    sqs.outage = "black hole";
    open();
    await vi.advanceTimersByTimeAsync(SECOND); // the three finish; their delete goes out and hangs
    worker.stop();
    await vi.advanceTimersByTimeAsync(30 * SECOND);
    expect(settled()).toBe(true);
    await run;
    const [unconfirmed] = named(
      lines,
      "deletes not confirmed by the drain deadline; those messages will be processed again",
    );
    expect(unconfirmed?.messageIds).toHaveLength(3);
    expect(named(lines, "drained")).toHaveLength(1);
  });
});

describe("dependencies that fail for a while, then heal", () => {
  it("stops taking messages while S3 fails, probes, resumes after the heal, and logs each change once", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(100);
    const s3 = new FakeS3();
    s3.outage = "errors";
    const { worker, lines, run } = start(sqs, {
      concurrency: 4,
      breaker: { failuresToOpen: 5, firstPauseSeconds: 5, maxPauseSeconds: 20 },
      handle: async (message, work) => {
        await s3.exists("bucket", message.body, work.signal);
        return done();
      },
    });
    await vi.advanceTimersByTimeAsync(60 * SECOND);
    // A minute of outage took two batches (the second arrived before the fifth failure) and one
    // probe per pause (5, 10, 20, 20 s), not the whole queue again and again.
    expect(sqs.delivered).toBeLessThanOrEqual(2 * 10 + 4);
    expect(named(lines, "dependencies failing: receiving paused")).toHaveLength(1);
    expect(named(lines, "probe failed: receiving paused").length).toBeGreaterThanOrEqual(2);
    expect(named(lines, "receive failed")).toEqual([]);

    s3.outage = undefined;
    await advanceUntil(() => sqs.depth().visible + sqs.depth().inFlight === 0, 120);
    expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 });
    expect(sqs.deadLetters).toEqual([]);
    expect(named(lines, "dependencies recovered: receiving resumed")).toHaveLength(1);
    expect(named(lines, "dependencies failing: receiving paused")).toHaveLength(1);
    await stopAndSettle(worker, run);
  });

  it("reports an outage of S3 and SQS once, not with a warning per message held", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(20);
    const s3 = new FakeS3();
    const { promise: outage, resolve: outageBegins } = Promise.withResolvers<void>();
    const { worker, lines, run } = start(sqs, {
      concurrency: 20,
      breaker: { failuresToOpen: 5 },
      handle: async (message, work) => {
        await outage;
        await s3.exists("bucket", message.body, work.signal);
        return done();
      },
    });
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(worker.held).toBe(20);
    s3.outage = "errors";
    sqs.outage = "errors";
    outageBegins();
    await vi.advanceTimersByTimeAsync(SECOND);
    expect(named(lines, "message").filter((line) => line.settled === false)).toHaveLength(20);
    const warned = named(lines, "message not settled; it will come back").filter(
      (line) => line.level === "warn",
    );
    // The failures before the breaker opened; after that, each message's share is a debug line.
    expect(warned).toHaveLength(5);
    expect(named(lines, "dependencies failing: receiving paused")).toHaveLength(1);
    await stopAndSettle(worker, run);
  });

  it("backs off receiving while SQS fails, instead of asking every second", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(5);
    sqs.outage = "errors";
    const { worker, lines, run } = start(sqs, {
      concurrency: 1,
      breaker: { failuresToOpen: 5, firstPauseSeconds: 5, maxPauseSeconds: 40 },
      handle: async () => done(),
    });
    await vi.advanceTimersByTimeAsync(100 * SECOND);
    // Five receives a second apart, then one probe after each pause (5, 10, 20, 40 s).
    expect(sqs.requests.receive).toBeLessThanOrEqual(9);
    expect(named(lines, "receive failed")).toHaveLength(5);
    expect(named(lines, "dependencies failing: receiving paused")).toHaveLength(1);

    sqs.outage = undefined;
    await advanceUntil(() => sqs.depth().visible + sqs.depth().inFlight === 0, 60);
    expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 });
    expect(named(lines, "dependencies recovered: receiving resumed")).toHaveLength(1);
    await stopAndSettle(worker, run);
  });
});
