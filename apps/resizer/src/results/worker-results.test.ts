import { outputKey } from "@icon-fanout/config";
import { SOURCE_METADATA } from "@icon-fanout/config/output-metadata";
import { RESULT_ATTRIBUTES } from "@icon-fanout/events";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { WorkQueue } from "../ports.js";
import { s3EventBody } from "../testing/events.js";
import { FakeResultPublisher } from "../testing/fake-result-publisher.js";
import { FakeS3 } from "../testing/fake-s3.js";
import { FakeSqs } from "../testing/fake-sqs.js";
import { corpusIcons, jobFor, SOURCE_BUCKET, workerFor } from "../testing/worker-harness.js";
import { GAVE_UP_CODE } from "./result-events.js";

const icon = corpusIcons()[0]?.bytes ?? Buffer.alloc(0);
const PATIENCE = { timeout: 15_000, interval: 5 };
const MAX_RECEIVE_COUNT = 3;
const job = jobFor(16);

function fixture() {
  const s3 = new FakeS3();
  const sqs = new FakeSqs({ visibilityTimeoutSeconds: 30, maxReceiveCount: MAX_RECEIVE_COUNT, secondMs: 10 });
  const publisher = new FakeResultPublisher();
  return { s3, sqs, publisher };
}

/** Runs a worker that publishes results until the queue is empty (or `until` holds), then stops it. */
async function runUntilDrained(
  { s3, sqs, publisher }: ReturnType<typeof fixture>,
  queue: WorkQueue = sqs,
  until: () => void = () => expect(sqs.depth()).toEqual({ visible: 0, inFlight: 0 }),
  job = jobFor(16),
) {
  const { worker, lines } = workerFor(queue, s3, job, {
    results: { publisher, source: { stack: "dev", job, maxReceiveCount: MAX_RECEIVE_COUNT } },
  });
  const run = worker.run();
  await vi.waitFor(until, PATIENCE);
  worker.stop();
  await run;
  return lines;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("results events from the worker", { timeout: 30_000 }, () => {
  it("publishes one rendered event per source with its filter attributes, before the message is deleted", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/brand/a.png", icon, { [SOURCE_METADATA.uploadId]: "up-1" });
    const messageId = f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/brand/a.png"));
    const publishedAtDelete: number[] = [];
    const queue: WorkQueue = {
      receive: (max, wait, signal) => f.sqs.receive(max, wait, signal),
      changeVisibility: (changes) => f.sqs.changeVisibility(changes),
      deadLetter: (message, why) => f.sqs.deadLetter(message, why),
      delete: (messages) => {
        publishedAtDelete.push(f.publisher.published.length);
        return f.sqs.delete(messages);
      },
    };
    await runUntilDrained(f, queue);

    const output = f.s3.objects.get(`${SOURCE_BUCKET}/${outputKey("icons/brand/a.png", 16)}`);
    expect(f.publisher.published).toEqual([
      {
        event: {
          schemaVersion: 1,
          stack: "dev",
          size: 16,
          bucket: SOURCE_BUCKET,
          sourceKey: "icons/brand/a.png",
          outputKey: "icons-size-16/brand/a.png",
          renderVersion: expect.any(Number),
          uploadId: "up-1",
          messageId,
          receiveCount: 1,
          time: expect.any(String),
          outcome: "rendered",
          sourceEtag: f.s3.objects.get(`${SOURCE_BUCKET}/icons/brand/a.png`)?.etag,
          outputEtag: output?.etag,
          bytes: output?.body.byteLength,
          width: 16,
          height: expect.any(Number),
        },
        attributes: {
          [RESULT_ATTRIBUTES.size]: { DataType: "Number", StringValue: "16" },
          [RESULT_ATTRIBUTES.outcome]: { DataType: "String", StringValue: "rendered" },
          [RESULT_ATTRIBUTES.sourceKey]: { DataType: "String", StringValue: "icons/brand/a.png" },
          [RESULT_ATTRIBUTES.uploadId]: { DataType: "String", StringValue: "up-1" },
        },
      },
    ]);
    expect(publishedAtDelete).toEqual([1]);
  });

  it("publishes removed with the S3 event's sequencer, without an upload id attribute", async () => {
    const f = fixture();
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/gone.png", "ObjectRemoved:Delete"));
    await runUntilDrained(f);
    expect(f.publisher.published).toHaveLength(1);
    expect(f.publisher.published[0]?.event).toMatchObject({
      outcome: "removed",
      sourceKey: "icons/gone.png",
      sequencer: "0055AED6DCD90281E5",
    });
    expect(Object.keys(f.publisher.published[0]?.attributes ?? {})).not.toContain(RESULT_ATTRIBUTES.uploadId);
  });

  it("publishes kept-by-twin naming the owner, with the skipped upload's id", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/logo.svg.png", icon);
    f.s3.seed(SOURCE_BUCKET, "icons/logo.svg", icon, { [SOURCE_METADATA.uploadId]: "up-2" });
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/logo.svg"));
    await runUntilDrained(f);
    expect(f.publisher.published.map(({ event }) => event)).toEqual([
      expect.objectContaining({
        outcome: "kept-by-twin",
        sourceKey: "icons/logo.svg",
        ownerSourceKey: "icons/logo.svg.png",
        uploadId: "up-2",
        sourceEtag: f.s3.objects.get(`${SOURCE_BUCKET}/icons/logo.svg`)?.etag,
      }),
    ]);
    expect(f.s3.keys(SOURCE_BUCKET, "icons-size-16/")).toEqual([]);
  });

  it("publishes refused with the refusal's code and message after the dead letter is sent, then deletes", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/cut.png", icon.subarray(0, icon.length / 2), {
      [SOURCE_METADATA.uploadId]: "up-3",
    });
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/cut.png"));
    const deadLettersAtPublish: number[] = [];
    const publish = f.publisher.publish.bind(f.publisher);
    f.publisher.publish = (events) => {
      deadLettersAtPublish.push(f.sqs.deadLetters.length);
      return publish(events);
    };
    await runUntilDrained(f);
    expect(f.publisher.published.map(({ event }) => event)).toEqual([
      expect.objectContaining({
        outcome: "refused",
        sourceKey: "icons/cut.png",
        uploadId: "up-3",
        receiveCount: 1,
        reason: { code: "truncated", message: "the PNG data ends early", detail: expect.any(String) },
      }),
    ]);
    expect(deadLettersAtPublish).toEqual([1]);
    expect(f.sqs.deadLetters).toHaveLength(1);
  });

  it("publishes refused for an oversize source with the ETag and upload id S3 gave before its body", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/huge.png", Buffer.alloc(4096), { [SOURCE_METADATA.uploadId]: "up-4" });
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/huge.png"));
    const small = jobFor(16, { maxSourceBytes: 1024 });
    await runUntilDrained(f, f.sqs, undefined, small);
    expect(f.publisher.published.map(({ event }) => event)).toEqual([
      expect.objectContaining({
        outcome: "refused",
        uploadId: "up-4",
        sourceEtag: f.s3.objects.get(`${SOURCE_BUCKET}/icons/huge.png`)?.etag,
        reason: expect.objectContaining({ code: "too-many-bytes" }),
      }),
    ]);
  });

  it("publishes gave-up once, on the last allowed receive of a transient failure, and nothing before", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    f.s3.outage = "errors";
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/a.png"));
    await runUntilDrained(f, f.sqs, () => expect(f.sqs.deadLetters).toHaveLength(1));
    expect(f.publisher.published.map(({ event }) => event)).toEqual([
      expect.objectContaining({
        outcome: "gave-up",
        receiveCount: MAX_RECEIVE_COUNT,
        reason: expect.objectContaining({
          code: GAVE_UP_CODE,
          detail: expect.stringMatching(/ServiceUnavailable/),
        }),
      }),
    ]);
    expect(f.sqs.deadLetters[0]?.reason).toBe("maxReceiveCount exceeded");
  });

  it("keeps a message whose results are not published, publishes them on a later receive, and logs the state once", async () => {
    const f = fixture();
    f.s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "icons/a.png"));
    f.publisher.failing = true;
    const { worker, lines } = workerFor(f.sqs, f.s3, job, {
      results: { publisher: f.publisher, source: { stack: "dev", job, maxReceiveCount: 100 } },
    });
    const run = worker.run();
    await vi.waitFor(() => expect(f.publisher.refused).toBeGreaterThanOrEqual(2), PATIENCE);
    // Rendered twice, published never: the message is still on the queue.
    expect(f.sqs.depth().visible + f.sqs.depth().inFlight).toBe(1);
    expect(f.publisher.published).toEqual([]);
    f.publisher.failing = false;
    await vi.waitFor(() => expect(f.sqs.depth()).toEqual({ visible: 0, inFlight: 0 }), PATIENCE);
    worker.stop();
    await run;

    expect(f.publisher.of("rendered")).toEqual([expect.objectContaining({ sourceKey: "icons/a.png" })]);
    expect(f.publisher.of("rendered")[0]?.receiveCount).toBeGreaterThanOrEqual(3);
    const warnings = lines.filter((line) => line.level === "warn").map((line) => line.msg);
    expect(warnings.filter((msg) => msg.startsWith("results not published"))).toHaveLength(1);
    expect(warnings).not.toContain("message not settled; it will come back");
    expect(lines.filter((line) => line.msg === "results published again")).toHaveLength(1);
  });

  it("publishes nothing for test events, unreadable bodies and keys outside the sources", async () => {
    const f = fixture();
    f.sqs.send(JSON.stringify({ Event: "s3:TestEvent" }));
    f.sqs.send("not json");
    f.sqs.send(s3EventBody("someone-elses-bucket", "icons/a.png"));
    f.sqs.send(s3EventBody(SOURCE_BUCKET, "elsewhere/a.png"));
    await runUntilDrained(f);
    expect(f.publisher.published).toEqual([]);
  });
});
