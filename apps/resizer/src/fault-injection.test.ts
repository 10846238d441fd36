/**
 * 1,000 messages through the worker with random S3 errors and timeouts (some PUTs land although
 * they time out), SQS errors, duplicate deliveries, poison images, and a stop (SIGTERM) mid-run
 * followed by a restart. Every valid icon must end with its output, every poison message in the
 * dead-letter queue, and S3 must hold nothing else.
 */

import { outputKey } from "@icon-fanout/config";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { s3EventBody } from "./testing/events.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { FakeSqs } from "./testing/fake-sqs.js";
import { seededRandom } from "./testing/faults.js";
import { corpusIcons, jobFor, SOURCE_BUCKET, workerFor } from "./testing/worker-harness.js";

const SIZE = 32;
const MESSAGES = 1_000;

describe("fault injection", () => {
  it("loses nothing and duplicates nothing across faults, duplicates, poison and a restart", async () => {
    const random = seededRandom(20261121);
    const icons = corpusIcons();
    const s3 = new FakeS3({ faultRate: 0.08, timeoutRate: 0.04, timeoutMs: 20, random });
    const sqs = new FakeSqs({
      visibilityTimeoutSeconds: 120,
      maxReceiveCount: 10,
      secondMs: 10,
      faultRate: 0.03,
      random,
    });
    const job = jobFor(SIZE);

    const valid: string[] = [];
    const poison: string[] = [];
    const bodies: string[] = [];
    for (let i = 0; bodies.length < MESSAGES; i += 1) {
      if (i % 12 === 11) {
        const key = `icons/broken/${i}.png`;
        s3.seed(SOURCE_BUCKET, key, (icons[i % icons.length]?.bytes ?? Buffer.alloc(0)).subarray(0, 300));
        poison.push(key);
        bodies.push(s3EventBody(SOURCE_BUCKET, key));
        continue;
      }
      const key = `icons/set ${i % 7}/${i}-${icons[i % icons.length]?.name}`;
      s3.seed(SOURCE_BUCKET, key, icons[i % icons.length]?.bytes ?? Buffer.alloc(0));
      valid.push(key);
      bodies.push(s3EventBody(SOURCE_BUCKET, key));
      if (i % 20 === 0 && bodies.length < MESSAGES) bodies.push(s3EventBody(SOURCE_BUCKET, key)); // duplicate delivery
    }
    const poisonIds = new Set(
      bodies
        .map((body) => [sqs.send(body), body] as const)
        .filter(([, body]) => body.includes("icons/broken/"))
        .map(([id]) => id),
    );

    // First run, stopped (as on SIGTERM) once a third of the work is done. The drain deadline is
    // far off, so every started message must be finished rather than released.
    const first = workerFor(sqs, s3, job, {
      concurrency: 16,
      drainSeconds: 3_000,
      visibilityTimeoutSeconds: 120,
    });
    const firstRun = first.worker.run();
    await vi.waitFor(
      () => expect(s3.keys(SOURCE_BUCKET, `icons-size-${SIZE}/`).length).toBeGreaterThan(valid.length / 3),
      { timeout: 60_000, interval: 5 },
    );
    first.worker.stop();
    await firstRun;
    expect(first.worker.held).toBe(0);
    expect(first.lines.find((line) => line.msg === "drained")).toMatchObject({ unfinished: 0 });
    // The stop came mid-run: work is left for the restart.
    expect(sqs.depth().visible).toBeGreaterThan(0);

    // Restart: a new worker drains the rest.
    const second = workerFor(sqs, s3, job, { concurrency: 16, visibilityTimeoutSeconds: 120 });
    const secondRun = second.worker.run();
    await vi.waitFor(() => expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 }), {
      timeout: 120_000,
      interval: 5,
    });
    second.worker.stop();
    await secondRun;

    // Every valid icon has its output, a real PNG of the right size.
    const outputs = s3.keys(SOURCE_BUCKET, `icons-size-${SIZE}/`);
    const expected = valid.map((key) => outputKey(key, SIZE)).sort();
    expect(outputs).toEqual([...new Set(expected)].sort());
    for (const key of valid.slice(0, 25)) {
      const stored = s3.objects.get(`${SOURCE_BUCKET}/${outputKey(key, SIZE)}`);
      expect(stored?.contentType).toBe("image/png");
      const metadata = await sharp(stored?.body).metadata();
      expect(Math.max(metadata.width ?? 0, metadata.height ?? 0)).toBe(SIZE);
    }
    // Every poison message is in the dead-letter queue with its reason, and only those. A copy may be
    // sent twice when the delete after it failed; it then carries the same source message id.
    expect(new Set(sqs.deadLetters.map((dead) => dead.id))).toEqual(poisonIds);
    for (const dead of sqs.deadLetters) {
      expect(dead.body).toMatch(/icons\/broken\//);
      expect([dead.code, dead.reason]).toEqual(["truncated", "truncated: the PNG data ends early"]);
    }
    // Nothing else was written: sources untouched, no outputs for poison, no stray keys.
    expect(
      s3
        .keys(SOURCE_BUCKET)
        .filter((key) => !key.startsWith("icons/") && !key.startsWith(`icons-size-${SIZE}/`)),
    ).toEqual([]);
    expect(s3.keys(SOURCE_BUCKET, "icons/")).toHaveLength(valid.length + poison.length);
  }, 180_000);
});
