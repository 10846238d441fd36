import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_KEY_LAYOUT, OUTPUT_METADATA } from "@icon-fanout/config";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { uploadCommand } from "../commands.js";
import { contextWith, OUTPUTS, terminal } from "../test-fixtures.js";
import { planUploads } from "./plan.js";
import { waitForOutputs } from "./wait.js";

const s3 = mockClient(S3Client);
afterEach(() => {
  s3.reset();
  vi.useRealTimers();
});

const PNG_1x1 = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
  "hex",
);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "iconctl-"));
  mkdirSync(join(dir, "set", "team"), { recursive: true });
  writeFileSync(join(dir, "set", "a.png"), PNG_1x1);
  writeFileSync(join(dir, "set", "team", "b.png"), Buffer.concat([PNG_1x1, Buffer.from([0])]));
  writeFileSync(join(dir, "set", "notes.txt"), "hello");
  writeFileSync(join(dir, "logo.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const notFound = () =>
  Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
const pngHeader = (width: number, height: number) => {
  const header = Buffer.from(PNG_1x1.subarray(0, 32));
  header.writeUInt32BE(width, 16);
  header.writeUInt32BE(height, 20);
  return sdkStreamMixin(Readable.from([header]));
};

describe("planUploads", () => {
  it("keys files under icons/ by their path in a directory or their name, and refuses non-images first", async () => {
    const { items, refused } = await planUploads(
      ["set", "logo.svg", "missing.png"],
      dir,
      DEFAULT_KEY_LAYOUT,
      OUTPUTS.maxSourceBytes,
    );
    expect(items.map((item) => [item.input, item.key, item.contentType])).toEqual([
      ["set/a.png", "icons/a.png", "image/png"],
      ["set/team/b.png", "icons/team/b.png", "image/png"],
      ["logo.svg", "icons/logo.svg", "image/svg+xml"],
    ]);
    expect(refused).toEqual([
      { input: "set/notes.txt", reason: "not an image (PNG, JPEG, GIF, WebP, TIFF, AVIF/HEIF or SVG)" },
      { input: "missing.png", reason: "no such file or directory" },
    ]);
  });
});

describe("iconctl upload", () => {
  it("skips files whose content is already there and uploads the rest through the access point", async () => {
    const { items } = await planUploads(["set/a.png"], dir, DEFAULT_KEY_LAYOUT, OUTPUTS.maxSourceBytes);
    s3.on(HeadObjectCommand, { Key: "icons/a.png" }).resolves({ ETag: `"${items[0]?.md5}"` });
    s3.on(HeadObjectCommand, { Key: "icons/team/b.png" }).rejects(notFound());
    s3.on(HeadObjectCommand, { Key: "icons/logo.svg" }).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const out = terminal(false);
    const code = await uploadCommand(contextWith(out, dir), ["set", "logo.svg"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 4,
      pollSeconds: 1,
    });
    expect(code).toBe(1); // notes.txt was refused
    const puts = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => [put.Bucket, put.Key, put.ContentType])).toEqual(
      expect.arrayContaining([
        [OUTPUTS.accessPointArn, "icons/team/b.png", "image/png"],
        [OUTPUTS.accessPointArn, "icons/logo.svg", "image/svg+xml"],
      ]),
    );
    expect(puts).toHaveLength(2);
    expect(puts[0]?.ContentMD5).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(out.text()).toContain("refused set/notes.txt: not an image");
    expect(out.text()).toContain("unchanged icons/a.png\n");
    expect(out.text()).toContain("2 uploaded, 1 unchanged, 0 failed, 1 refused\n");
  });

  it("uploads under the stack's own input prefix", async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const context = contextWith(terminal(false), dir);
    context.outputs = { ...OUTPUTS, keyLayout: { inputPrefix: "uploads/", outputPrefix: "resized-" } };
    await uploadCommand(context, ["logo.svg"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 1,
      pollSeconds: 1,
    });
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      "uploads/logo.svg",
    ]);
  });

  it("keeps at most --concurrency uploads in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await sleep(10);
      inFlight -= 1;
      return {};
    });
    for (let i = 0; i < 12; i += 1)
      writeFileSync(join(dir, `many-${i}.png`), Buffer.concat([PNG_1x1, Buffer.from([i])]));
    const files = Array.from({ length: 12 }, (_, i) => `many-${i}.png`);
    await uploadCommand(contextWith(terminal(false), dir), files, {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 3,
      pollSeconds: 1,
    });
    expect(peak).toBe(3);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(12);
  });

  it("refuses files over the stack's maxSourceBytes before sending anything, naming the limit", async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const limit = 100;
    writeFileSync(join(dir, "at-limit.png"), Buffer.concat([PNG_1x1, Buffer.alloc(limit - PNG_1x1.length)]));
    writeFileSync(join(dir, "over.png"), Buffer.concat([PNG_1x1, Buffer.alloc(limit + 1 - PNG_1x1.length)]));
    const out = terminal(false);
    const context = contextWith(out, dir);
    context.outputs = { ...OUTPUTS, maxSourceBytes: limit };
    const code = await uploadCommand(context, ["at-limit.png", "over.png"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 2,
      pollSeconds: 1,
    });
    expect(code).toBe(1);
    const sent = [...s3.commandCalls(HeadObjectCommand), ...s3.commandCalls(PutObjectCommand)];
    expect(sent.map((call) => call.args[0].input.Key)).not.toContain("icons/over.png");
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual([
      "icons/at-limit.png",
    ]);
    expect(out.text()).toContain(
      "refused over.png: 101 bytes, over the stack's source limit of 100 bytes (resizer.maxSourceBytes)\n",
    );
    expect(out.text()).toContain("1 uploaded, 0 unchanged, 0 failed, 1 refused\n");
  });

  it("judges a file inside a directory by its size before reading it, and the twin rule then keeps the other twin", async () => {
    const limit = 100;
    mkdirSync(join(dir, "big"), { recursive: true });
    writeFileSync(join(dir, "big", "logo.svg.png"), Buffer.concat([PNG_1x1, Buffer.alloc(limit)]));
    writeFileSync(
      join(dir, "big", "logo.svg"),
      '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>',
    );
    const { items, refused } = await planUploads(["big"], dir, DEFAULT_KEY_LAYOUT, limit);
    expect(items.map((item) => item.key)).toEqual(["icons/logo.svg"]);
    expect(refused).toEqual([
      {
        input: join("big", "logo.svg.png"),
        reason: `${PNG_1x1.length + limit} bytes, over the stack's source limit of 100 bytes (resizer.maxSourceBytes)`,
      },
    ]);
  });

  it("draws one progress bar on a terminal", async () => {
    s3.on(HeadObjectCommand).rejects(notFound());
    s3.on(PutObjectCommand).resolves({});
    const out = terminal(true);
    await uploadCommand(contextWith(out, dir), ["logo.svg"], {
      wait: false,
      timeoutSeconds: 1,
      concurrency: 1,
      pollSeconds: 1,
    });
    expect(out.text()).toBe(
      "\ruploading [####################] 1/1\n1 uploaded, 0 unchanged, 0 failed, 0 refused\n",
    );
  });
});

describe("waiting for outputs", () => {
  it("reports each size once its output exists for this content, and times out the rest", async () => {
    const { items } = await planUploads(["set/a.png"], dir, DEFAULT_KEY_LAYOUT, OUTPUTS.maxSourceBytes);
    const md5 = items[0]?.md5;
    vi.useFakeTimers({ fakeNodeBuiltins: true });
    const started = Date.now();
    s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
      // The size-16 output lands between the second poll and the third; size 32 keeps an older one.
      if (input.Key === "icons-size-16/a.png" && Date.now() - started >= 3_000)
        return { Metadata: { [OUTPUT_METADATA.sourceEtag]: md5 }, Body: pngHeader(16, 16) };
      if (input.Key === "icons-size-32/a.png")
        return { Metadata: { [OUTPUT_METADATA.sourceEtag]: "an-older-upload" }, Body: pngHeader(32, 32) };
      throw notFound();
    });
    const waiting = waitForOutputs(new S3Client({ region: "eu-west-1" }), OUTPUTS.accessPointArn, items, {
      sizes: [16, 32],
      layout: DEFAULT_KEY_LAYOUT,
      timeoutMs: 10_000,
      intervalMs: 2_000,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    const rows = await waiting;
    expect(Date.now() - started).toBe(10_000);
    expect(rows).toEqual([
      { source: "icons/a.png", size: 16, outputKey: "icons-size-16/a.png", dimensions: "16×16", seconds: 4 },
      { source: "icons/a.png", size: 32, outputKey: "icons-size-32/a.png", error: "timed out" },
    ]);
  });
});
