import { OUTPUT_METADATA } from "@icon-fanout/config";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { handleMessage } from "./handle-message.js";
import { OUTPUT_CACHE_CONTROL } from "./process-object.js";
import { s3EventBody } from "./testing/events.js";
import { FakeS3 } from "./testing/fake-s3.js";
import { corpusIcons, jobFor, SHADOW_BUCKET, SOURCE_BUCKET } from "./testing/worker-harness.js";

const icon = corpusIcons()[0]?.bytes ?? Buffer.alloc(0);

describe("handleMessage", () => {
  it("writes the output at outputKey as a PNG with cache, source and render-version headers, then asks for a delete", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/team a/logo.svg.png", icon);
    const result = await handleMessage(
      s3EventBody(SOURCE_BUCKET, "icons/team a/logo.svg.png"),
      s3,
      jobFor(16),
    );
    expect(result).toMatchObject({ action: "delete", outcome: "resized" });
    const output = s3.objects.get(`${SOURCE_BUCKET}/icons-size-16/team a/logo.svg.png`);
    expect(output).toMatchObject({
      contentType: "image/png",
      cacheControl: OUTPUT_CACHE_CONTROL,
      metadata: {
        [OUTPUT_METADATA.sourceEtag]: s3.objects.get(`${SOURCE_BUCKET}/icons/team a/logo.svg.png`)?.etag,
        [OUTPUT_METADATA.sourceBucket]: SOURCE_BUCKET,
        [OUTPUT_METADATA.renderVersion]: String(RENDER_VERSION),
      },
    });
    expect(await sharp(output?.body).metadata()).toMatchObject({ format: "png", width: 16, height: 16 });
  });

  it("reads a shadowed stack's source but writes to its own bucket", async () => {
    const s3 = new FakeS3();
    s3.seed(SHADOW_BUCKET, "icons/a.png", icon);
    await handleMessage(s3EventBody(SHADOW_BUCKET, "icons/a.png"), s3, jobFor(32));
    expect(s3.keys(SOURCE_BUCKET)).toEqual(["icons-size-32/a.png"]);
    expect(s3.keys(SHADOW_BUCKET)).toEqual(["icons/a.png"]);
  });

  it("gives the same S3 state when the same message is handled twice", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    const body = s3EventBody(SOURCE_BUCKET, "icons/a.png");
    await handleMessage(body, s3, jobFor(16));
    const first = new Map(s3.objects);
    await handleMessage(body, s3, jobFor(16));
    expect(s3.objects).toEqual(first);
  });

  it.each([
    [
      "a bucket that is not a source",
      s3EventBody("someone-elses-bucket", "icons/a.png"),
      "bucket someone-elses-bucket is not a source",
    ],
    [
      "a key outside the input prefix",
      s3EventBody(SOURCE_BUCKET, "private/a.png"),
      "key is not under icons/",
    ],
    [
      "an output key (never a source)",
      s3EventBody(SOURCE_BUCKET, "icons-size-16/a.png"),
      "key is not under icons/",
    ],
    ["a folder placeholder", s3EventBody(SOURCE_BUCKET, "icons/new folder/"), "key is not under icons/"],
    [
      "a source deleted since the event",
      s3EventBody(SOURCE_BUCKET, "icons/gone.png"),
      "source no longer exists",
    ],
  ])("acknowledges %s without writing anything", async (_name, body, reason) => {
    const s3 = new FakeS3();
    const result = await handleMessage(body, s3, jobFor(16));
    expect(result).toMatchObject({ action: "delete", outcome: "skipped", objects: [{ reason }] });
    expect(s3.requests.put).toBe(0);
  });

  it("removes the output when the source is still gone", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons-size-16/a.png", icon);
    const result = await handleMessage(
      s3EventBody(SOURCE_BUCKET, "icons/a.png", "ObjectRemoved:Delete"),
      s3,
      jobFor(16),
    );
    expect(result).toMatchObject({ action: "delete", outcome: "removed" });
    expect(s3.keys(SOURCE_BUCKET)).toEqual([]);
  });

  it("keeps the output when the source was uploaded again after the removal", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/a.png", icon);
    s3.seed(SOURCE_BUCKET, "icons-size-16/a.png", icon);
    const result = await handleMessage(
      s3EventBody(SOURCE_BUCKET, "icons/a.png", "ObjectRemoved:DeleteMarkerCreated"),
      s3,
      jobFor(16),
    );
    expect(result).toMatchObject({
      action: "delete",
      outcome: "skipped",
      objects: [{ reason: "source exists again" }],
    });
    expect(s3.keys(SOURCE_BUCKET)).toEqual(["icons-size-16/a.png", "icons/a.png"]);
  });

  it.each([16, 32, 64])(
    "dead-letters a source over the size limit as too-many-bytes at %i px",
    async (size) => {
      const s3 = new FakeS3();
      s3.seed(SOURCE_BUCKET, "icons/huge.png", Buffer.concat([icon, Buffer.alloc(2048)]));
      const result = await handleMessage(
        s3EventBody(SOURCE_BUCKET, "icons/huge.png"),
        s3,
        jobFor(size, { maxSourceBytes: 1024 }),
      );
      expect(result).toEqual({
        action: "dead-letter",
        outcome: "invalid",
        code: "too-many-bytes",
        reason: `too-many-bytes: the file is ${icon.length + 2048} bytes, over the 1024-byte limit`,
        key: "icons/huge.png",
      });
    },
  );

  it("dead-letters a truncated source with its code, its message and the decoder's text as detail", async () => {
    const s3 = new FakeS3();
    s3.seed(SOURCE_BUCKET, "icons/cut.png", icon.subarray(0, icon.length / 2));
    const result = await handleMessage(s3EventBody(SOURCE_BUCKET, "icons/cut.png"), s3, jobFor(32));
    expect(result).toEqual({
      action: "dead-letter",
      outcome: "invalid",
      code: "truncated",
      reason: "truncated: the PNG data ends early",
      detail: expect.stringMatching(/\S/),
      key: "icons/cut.png",
    });
  });

  it("retries when S3 fails, naming the error", async () => {
    const s3 = new FakeS3({ faultRate: 1 });
    const result = await handleMessage(s3EventBody(SOURCE_BUCKET, "icons/a.png"), s3, jobFor(16));
    expect(result).toMatchObject({
      action: "retry",
      reason: expect.stringMatching(/^(InternalError|SlowDown): /),
      key: "icons/a.png",
    });
  });
});
