import { SOURCE_METADATA } from "@icon-fanout/config/output-metadata";
import { resultDedupKey } from "@icon-fanout/events";
import { describe, expect, it } from "vitest";
import { handleMessage } from "../handle-message.js";
import type { ReceivedMessage } from "../ports.js";
import { s3EventBody } from "../testing/events.js";
import { FakeS3 } from "../testing/fake-s3.js";
import { corpusIcons, jobFor, SOURCE_BUCKET } from "../testing/worker-harness.js";
import { resultEvents } from "./result-events.js";

const icon = corpusIcons()[0]?.bytes ?? Buffer.alloc(0);
const job = jobFor(16);
const source = { stack: "dev", job, maxReceiveCount: 3 };
const NOW = new Date("2026-12-05T03:00:00.000Z");
const received = (body: string, receiveCount = 1): ReceivedMessage => ({
  messageId: "m-1",
  receiptHandle: "r-1",
  body,
  receiveCount,
});

/** One S3 event message carrying several records, as S3 may send. */
function batchBody(...records: [key: string, eventName: string][]): string {
  return JSON.stringify({
    Records: records.flatMap(
      ([key, eventName]) => JSON.parse(s3EventBody(SOURCE_BUCKET, key, eventName)).Records,
    ),
  });
}

async function eventsOf(s3: FakeS3, body: string, receiveCount = 1) {
  const message = received(body, receiveCount);
  return resultEvents(message, await handleMessage(body, s3, job), source, NOW);
}

describe("resultEvents", () => {
  it("reports every record of a message up to a refused one, and nothing of the records after it", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    s3.seed(SOURCE_BUCKET, "icons/cut.png", icon.subarray(0, icon.length / 2));
    s3.seed(SOURCE_BUCKET, "icons/c.png", icon);
    const events = await eventsOf(
      s3,
      batchBody(
        ["icons/a.png", "ObjectCreated:Put"],
        ["icons/gone.png", "ObjectRemoved:Delete"],
        ["icons/cut.png", "ObjectCreated:Put"],
        ["icons/c.png", "ObjectCreated:Put"],
      ),
    );
    expect(events.map((event) => [event.sourceKey, event.outcome])).toEqual([
      ["icons/a.png", "rendered"],
      ["icons/gone.png", "removed"],
      ["icons/cut.png", "refused"],
    ]);
    expect(new Set(events.map((event) => event.time))).toEqual(new Set([NOW.toISOString()]));
  });

  it("publishes nothing for a transient failure before the last receive, and gave-up on it", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/a.png", icon, { [SOURCE_METADATA.uploadId]: "up-1" });
    s3.outage = "errors";
    const body = s3EventBody(SOURCE_BUCKET, "icons/a.png");
    expect(await eventsOf(s3, body, 2)).toEqual([]);
    expect(await eventsOf(s3, body, 3)).toEqual([
      expect.objectContaining({
        outcome: "gave-up",
        receiveCount: 3,
        reason: expect.objectContaining({ code: "max-receives" }),
      }),
    ]);
  });

  it("reports the removal of x.png that renders the output again from x as kept-by-twin, with the new output's ETag", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/logo.svg", icon);
    const [event] = await eventsOf(
      s3,
      s3EventBody(SOURCE_BUCKET, "icons/logo.svg.png", "ObjectRemoved:Delete"),
    );
    expect(event).toMatchObject({
      outcome: "kept-by-twin",
      sourceKey: "icons/logo.svg.png",
      ownerSourceKey: "icons/logo.svg",
      outputKey: "icons-size-16/logo.svg.png",
      outputEtag: s3.objects.get(`${SOURCE_BUCKET}/icons-size-16/logo.svg.png`)?.etag,
    });
  });

  it("gives a redelivered source event the same dedup key, and another upload of the key another", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    const body = s3EventBody(SOURCE_BUCKET, "icons/a.png");
    const [first] = await eventsOf(s3, body, 1);
    const [again] = await eventsOf(s3, body, 2);
    s3.seed(SOURCE_BUCKET, "icons/a.png", corpusIcons()[1]?.bytes ?? Buffer.alloc(1));
    const [replaced] = await eventsOf(s3, body, 1);
    if (!first || !again || !replaced) throw new Error("an event is missing");
    expect(resultDedupKey(again)).toBe(resultDedupKey(first));
    expect(resultDedupKey(replaced)).not.toBe(resultDedupKey(first));
  });
});
