import { setTimeout as sleep } from "node:timers/promises";
import { outputKey } from "@icon-fanout/config";
import { UNSUPPORTED_FORMAT } from "@icon-fanout/imaging";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";
import { s3EventBody } from "./testing/events.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { FakeSqs } from "./testing/fake-sqs.js";
import { corpusIcons, jobFor, SOURCE_BUCKET, workerFor } from "./testing/worker-harness.js";
import type { Worker } from "./worker.js";

const icon = corpusIcons()[0]?.bytes ?? Buffer.alloc(0);

/** Generous for a loaded machine; vi.waitFor then fails with the last unmet expectation. */
const PATIENCE = { timeout: 15_000, interval: 5 };

function queue(options: Partial<ConstructorParameters<typeof FakeSqs>[0]> = {}) {
  return new FakeSqs({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3, secondMs: 10, ...options });
}

/** Sources in S3 and one event per source on the queue. */
function setup(keys: string[], queueOptions: Partial<ConstructorParameters<typeof FakeSqs>[0]> = {}) {
  const s3 = new FakeS3();
  const sqs = queue(queueOptions);
  for (const key of keys) {
    s3.seed(SOURCE_BUCKET, key, icon);
    sqs.send(s3EventBody(SOURCE_BUCKET, key));
  }
  return { s3, sqs };
}

/** A queue of plain bodies, for workers whose handler stands in for the real one (it never reads S3). */
function bodies(count: number, options: Partial<ConstructorParameters<typeof FakeSqs>[0]> = {}) {
  const sqs = queue(options);
  for (let i = 0; i < count; i += 1) sqs.send(`m${i}`);
  return sqs;
}

const drained = (sqs: FakeSqs) => () => expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 });

const done = (): MessageResult => ({ action: "delete", outcome: "ignored", objects: [] });

/** Stops the worker and lets the harness's whole drain deadline pass, so run() settles even with work left. */
async function stopOnFakeClock(worker: Worker, run: Promise<void>): Promise<void> {
  worker.stop();
  await vi.advanceTimersByTimeAsync(1_000);
  await run;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Worker", { timeout: 30_000 }, () => {
  it("resizes a backlog and deletes every message", async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `icons/${i}.png`);
    const { s3, sqs } = setup(keys);
    const { worker } = workerFor(sqs, s3, jobFor(16));
    const run = worker.run();
    await vi.waitFor(drained(sqs), PATIENCE);
    worker.stop();
    await run;
    expect(s3.keys(SOURCE_BUCKET, "icons-size-16/")).toEqual(keys.map((key) => outputKey(key, 16)).sort());
    expect(sqs.deadLetters).toEqual([]);
  });

  it("deletes a message only once its output is durable", async () => {
    const { s3, sqs } = setup(["icons/a.png", "icons/b.png"]);
    const checked: string[] = [];
    const queue: WorkQueue = {
      receive: (max, wait, signal) => sqs.receive(max, wait, signal),
      changeVisibility: (changes) => sqs.changeVisibility(changes),
      deadLetter: (message, why) => sqs.deadLetter(message, why),
      delete: async (messages) => {
        for (const message of messages) {
          const key = JSON.parse(message.body).Records[0].s3.object.key as string;
          expect(s3.objects.has(`${SOURCE_BUCKET}/${outputKey(key, 16)}`)).toBe(true);
          checked.push(key);
        }
        return sqs.delete(messages);
      },
    };
    const { worker } = workerFor(queue, s3, jobFor(16));
    const run = worker.run();
    await vi.waitFor(drained(sqs), PATIENCE);
    worker.stop();
    await run;
    expect(checked.sort()).toEqual(["icons/a.png", "icons/b.png"]);
  });

  it("dead-letters an invalid image at once, with its refusal code, on its first receive, and logs the code", async () => {
    const { s3, sqs } = setup([]);
    s3.seed(SOURCE_BUCKET, "icons/broken.png", Buffer.from("not an image"));
    sqs.send(s3EventBody(SOURCE_BUCKET, "icons/broken.png"));
    const { worker, lines } = workerFor(sqs, s3, jobFor(16));
    const run = worker.run();
    await vi.waitFor(drained(sqs), PATIENCE);
    worker.stop();
    await run;
    expect(sqs.deadLetters).toEqual([
      {
        id: expect.any(String),
        body: expect.stringContaining("broken.png"),
        reason: `not-an-image: ${UNSUPPORTED_FORMAT}`,
        code: "not-an-image",
      },
    ]);
    expect(lines.find((line) => line.msg === "message")).toMatchObject({
      action: "dead-letter",
      receiveCount: 1,
      key: "icons/broken.png",
      code: "not-an-image",
      reason: `not-an-image: ${UNSUPPORTED_FORMAT}`,
    });
  });

  it("retries transient failures with backoff until the redrive policy moves the message", async () => {
    const { s3, sqs } = setup(["icons/a.png"], { maxReceiveCount: 3 });
    const failing = new FakeS3({ faultRate: 1 });
    failing.seed(SOURCE_BUCKET, "icons/a.png", icon);
    const { worker, lines } = workerFor(sqs, failing, jobFor(16), {
      backoff: { baseSeconds: 2, maxSeconds: 8 },
    });
    const run = worker.run();
    await vi.waitFor(() => expect(sqs.deadLetters).toHaveLength(1), PATIENCE);
    worker.stop();
    await run;
    const attempts = lines.filter((line) => line.msg === "message");
    expect(attempts.map((line) => [line.action, line.receiveCount])).toEqual([
      ["retry", 1],
      ["retry", 2],
      ["retry", 3],
    ]);
    expect(sqs.deadLetters[0]?.reason).toBe("maxReceiveCount exceeded");
    expect(s3.keys(SOURCE_BUCKET, "icons-size-16/")).toEqual([]);
  });

  it("acknowledges test events and unreadable bodies, logging each once", async () => {
    const { s3, sqs } = setup([]);
    sqs.send(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent" }));
    sqs.send("garbage");
    const { worker, lines } = workerFor(sqs, s3, jobFor(16));
    const run = worker.run();
    await vi.waitFor(drained(sqs), PATIENCE);
    worker.stop();
    await run;
    const logged = lines.filter((line) => line.msg === "message").map((line) => [line.outcome, line.reason]);
    expect(logged.sort()).toEqual([
      ["ignored", "s3:TestEvent"],
      ["unreadable", "body is not JSON"],
    ]);
    expect(sqs.deadLetters).toEqual([]);
  });

  it("keeps working on other messages while one is slow, and holds a bounded number", async () => {
    const sqs = bodies(60);
    let maxHeld = 0;
    let fastDone = 0;
    let slowDone = false;
    const { promise: allFastDone, resolve: fastFinished } = Promise.withResolvers<void>();
    const worker: Worker = workerFor(sqs, new FakeS3(), jobFor(16), {
      handle: async (message: ReceivedMessage): Promise<MessageResult> => {
        maxHeld = Math.max(maxHeld, worker.held);
        if (message.body === "m0") {
          // Finishes only once every other message has: a worker that waits for it never gets there.
          await allFastDone;
          slowDone = true;
        } else if (++fastDone === 59) fastFinished();
        return done();
      },
      concurrency: 3,
      ackLingerMs: 5,
    }).worker;
    const run = worker.run();
    await vi.waitFor(drained(sqs), PATIENCE);
    worker.stop();
    await run;
    expect(slowDone).toBe(true);
    expect(maxHeld).toBeLessThanOrEqual(2 * 3 + 40);
  });
});

describe("Worker on a fake clock", () => {
  it("works through a backlog receiving ten at a time and deleting in batches of ten", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(100);
    const { worker } = workerFor(sqs, new FakeS3(), jobFor(16), {
      handle: async () => {
        await sleep(5);
        return done();
      },
    });
    const run = worker.run();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 });
    await stopOnFakeClock(worker, run);
    expect(sqs.requests.delete).toBe(10);
    // Long polls that found nothing (waiting for the test to stop the worker) do not count.
    expect(sqs.requests.receive - sqs.emptyReceives).toBe(10);
  });

  it("on stop, returns unstarted messages at once and finishes the started ones", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(30);
    let started = 0;
    let finished = 0;
    const { promise: gate, resolve: openGate } = Promise.withResolvers<void>();
    const { worker } = workerFor(sqs, new FakeS3(), jobFor(16), {
      handle: async (): Promise<MessageResult> => {
        started += 1;
        await gate;
        finished += 1;
        return done();
      },
      concurrency: 4,
      ackLingerMs: 5,
    });
    const run = worker.run();
    await vi.advanceTimersByTimeAsync(1);
    expect([started, sqs.depth()]).toEqual([4, { visible: 20, inFlight: 10 }]);
    worker.stop();
    // No time passes: the six received but unstarted go back while the four started still work.
    await vi.advanceTimersByTimeAsync(0);
    expect(sqs.depth()).toEqual({ visible: 26, inFlight: 4 });
    openGate();
    await vi.advanceTimersByTimeAsync(10);
    await run;
    expect([started, finished]).toEqual([4, 4]);
    expect(sqs.depth()).toEqual({ visible: 26, inFlight: 0 });
  });

  it("extends visibility while work outlasts it, so nothing is delivered twice", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(1, { visibilityTimeoutSeconds: 20 });
    let calls = 0;
    const { worker } = workerFor(sqs, new FakeS3(), jobFor(16), {
      handle: async (): Promise<MessageResult> => {
        calls += 1;
        await sleep(700); // 70 queue seconds: three and a half visibility timeouts
        return done();
      },
      concurrency: 2,
      visibilityTimeoutSeconds: 20,
      stallSeconds: 1_000, // long work, not stuck work
      ackLingerMs: 5,
    });
    const run = worker.run();
    await vi.advanceTimersByTimeAsync(750);
    expect(calls).toBe(1);
    expect(sqs.requests.changeVisibility).toBeGreaterThanOrEqual(3);
    expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 });
    await stopOnFakeClock(worker, run);
  });

  it("releases work that outlasts the drain deadline, keeping time for the last steps within it", async () => {
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const sqs = bodies(1);
    const { worker, lines } = workerFor(sqs, new FakeS3(), jobFor(16), {
      handle: () => new Promise<MessageResult>(() => {}),
      concurrency: 1,
      drainSeconds: 5, // 50 ms on the queue clock, of which a quarter is kept for the release and deletes
    });
    const run = worker.run();
    await vi.advanceTimersByTimeAsync(20);
    expect(worker.held).toBe(1);
    let stopped = false;
    worker.stop();
    void run.then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(37);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(13);
    expect(stopped).toBe(true);
    expect(sqs.depth()).toEqual({ visible: 1, inFlight: 0 });
    expect(lines.find((line) => line.msg === "drained")).toMatchObject({ returned: 0, unfinished: 1 });
  });
});
