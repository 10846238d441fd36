import { outputKey } from "@icon-fanout/config";
import { describe, expect, it } from "vitest";
import type { MessageResult } from "./handle-message.js";
import type { ReceivedMessage, WorkQueue } from "./ports.js";
import { corpusIcons, jobFor, SOURCE_BUCKET, until, workerFor } from "./test-worker-harness.js";
import { s3EventBody } from "./testing/events.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { FakeSqs } from "./testing/fake-sqs.js";
import { sleep } from "./testing/random.js";
import type { Worker } from "./worker.js";

const icon = corpusIcons()[0]?.bytes ?? Buffer.alloc(0);

function setup(keys: string[], queueOptions: Partial<ConstructorParameters<typeof FakeSqs>[0]> = {}) {
  const s3 = new FakeS3();
  const sqs = new FakeSqs({
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 3,
    secondMs: 10,
    ...queueOptions,
  });
  for (const key of keys) {
    s3.seed(SOURCE_BUCKET, key, icon);
    sqs.send(s3EventBody(SOURCE_BUCKET, key));
  }
  return { s3, sqs };
}

const drained = (sqs: FakeSqs) => () => sqs.depth().visible + sqs.depth().inFlight === 0;

describe("Worker", () => {
  it("resizes a backlog, deleting messages in batches of ten and receiving ten at a time", async () => {
    const keys = Array.from({ length: 100 }, (_, i) => `icons/${i}.png`);
    const { s3, sqs } = setup(keys);
    // A generous linger, so that a loaded test machine still fills its delete batches.
    const { worker } = workerFor(sqs, s3, jobFor(16), { ackLingerMs: 250 });
    const run = worker.run();
    await until(drained(sqs));
    worker.stop();
    await run;
    expect(s3.keys(SOURCE_BUCKET, "icons-size-16/")).toHaveLength(100);
    expect(sqs.requests.delete).toBeLessThanOrEqual(12);
    // Long polls that found nothing (waiting for the test to stop the worker) do not count.
    expect(sqs.requests.receive - sqs.emptyReceives).toBeLessThanOrEqual(12);
  });

  it("deletes a message only once its output is durable", async () => {
    const { s3, sqs } = setup(["icons/a.png", "icons/b.png"]);
    const checked: string[] = [];
    const queue: WorkQueue = {
      receive: (max, wait, signal) => sqs.receive(max, wait, signal),
      changeVisibility: (changes) => sqs.changeVisibility(changes),
      deadLetter: (message, reason) => sqs.deadLetter(message, reason),
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
    await until(drained(sqs));
    worker.stop();
    await run;
    expect(checked.sort()).toEqual(["icons/a.png", "icons/b.png"]);
  });

  it("dead-letters an invalid image at once, with the reason, on its first receive", async () => {
    const { s3, sqs } = setup([]);
    s3.seed(SOURCE_BUCKET, "icons/broken.png", Buffer.from("not an image"));
    sqs.send(s3EventBody(SOURCE_BUCKET, "icons/broken.png"));
    const { worker, lines } = workerFor(sqs, s3, jobFor(16));
    const run = worker.run();
    await until(drained(sqs));
    worker.stop();
    await run;
    expect(sqs.deadLetters).toEqual([
      {
        id: expect.any(String),
        body: expect.stringContaining("broken.png"),
        reason:
          "InvalidImageError: unsupported image format (not PNG, JPEG, GIF, WebP, TIFF, AVIF/HEIF or SVG)",
      },
    ]);
    expect(lines.find((line) => line.msg === "message")).toMatchObject({
      action: "dead-letter",
      receiveCount: 1,
      key: "icons/broken.png",
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
    await until(() => sqs.deadLetters.length === 1);
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
    await until(drained(sqs));
    worker.stop();
    await run;
    const logged = lines.filter((line) => line.msg === "message").map((line) => [line.outcome, line.reason]);
    expect(logged.sort()).toEqual([
      ["ignored", "s3:TestEvent"],
      ["unreadable", "body is not JSON"],
    ]);
    expect(sqs.deadLetters).toEqual([]);
  });

  it("extends visibility while work outlasts it, so nothing is delivered twice", async () => {
    const { s3, sqs } = setup(["icons/slow.png"], { visibilityTimeoutSeconds: 20 });
    let calls = 0;
    const worker = workerFor(sqs, s3, jobFor(16), {
      handle: async (): Promise<MessageResult> => {
        calls += 1;
        await sleep(700); // 70 queue seconds: three and a half visibility timeouts
        return { action: "delete", outcome: "resized", objects: [] };
      },
      concurrency: 2,
      visibilityTimeoutSeconds: 20,
      ackLingerMs: 5,
    }).worker;
    const run = worker.run();
    await until(drained(sqs));
    worker.stop();
    await run;
    expect(calls).toBe(1);
    expect(sqs.requests.changeVisibility).toBeGreaterThanOrEqual(3);
    expect(s3.requests.get).toBe(0);
  });

  it("keeps working on other messages while one is slow, and holds a bounded number", async () => {
    const { s3, sqs } = setup([]);
    for (let i = 0; i < 60; i += 1) sqs.send(i === 0 ? "slow" : "fast");
    let maxHeld = 0;
    let fastDone = 0;
    let slowDone = false;
    const worker: Worker = workerFor(sqs, s3, jobFor(16), {
      handle: async (message: ReceivedMessage): Promise<MessageResult> => {
        maxHeld = Math.max(maxHeld, worker.held);
        if (message.body === "slow") {
          await until(() => fastDone === 59);
          slowDone = true;
        } else {
          await sleep(2);
          fastDone += 1;
        }
        return { action: "delete", outcome: "ignored", objects: [] };
      },
      concurrency: 3,
      ackLingerMs: 5,
    }).worker;
    const run = worker.run();
    await until(drained(sqs));
    worker.stop();
    await run;
    expect(slowDone).toBe(true);
    expect(maxHeld).toBeLessThanOrEqual(2 * 3 + 40);
    expect(s3.requests.get).toBe(0);
  });

  it("on stop, returns unstarted messages at once and finishes the started ones", async () => {
    const { s3, sqs } = setup([]);
    for (let i = 0; i < 30; i += 1) sqs.send(`m${i}`);
    let started = 0;
    let finished = 0;
    const worker = workerFor(sqs, s3, jobFor(16), {
      handle: async (): Promise<MessageResult> => {
        started += 1;
        await sleep(100);
        finished += 1;
        return { action: "delete", outcome: "ignored", objects: [] };
      },
      concurrency: 4,
      ackLingerMs: 5,
    }).worker;
    const run = worker.run();
    await until(() => started === 4);
    worker.stop();
    await run;
    expect(finished).toBe(4);
    expect(sqs.depth()).toEqual({ visible: 26, inFlight: 0 });
    expect(s3.requests.get).toBe(0);
  });

  it("releases work that outlasts the drain deadline instead of overrunning the stop timeout", async () => {
    const { s3, sqs } = setup([]);
    sqs.send("stuck");
    const worker = workerFor(sqs, s3, jobFor(16), {
      handle: () => new Promise<MessageResult>(() => {}),
      concurrency: 1,
      drainSeconds: 5,
    }).worker;
    const run = worker.run();
    await until(() => worker.held === 1);
    const stoppedAt = Date.now();
    worker.stop();
    await run;
    expect(Date.now() - stoppedAt).toBeLessThan(500);
    expect(sqs.depth()).toEqual({ visible: 1, inFlight: 0 });
  });
});
