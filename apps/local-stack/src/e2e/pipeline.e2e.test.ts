import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { outputKey } from "@icon-fanout/config";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SAMPLE_ICONS_DIR } from "../samples.js";
import { type E2eStack, pngSize, startE2eStack } from "./harness.js";
import { HOSTILE_CODES, hostileFiles } from "./hostile-files.js";

/**
 * The pipeline end to end on the local stack: uploads reach the bucket, S3 notifications the
 * topic, the topic every size's queue, and the real resizer processes write the outputs.
 */

const samplesDir = SAMPLE_ICONS_DIR;
const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
/** Source key → bytes of every valid source this file uploads. */
const sources = new Map<string, Buffer>();
for (const file of walk(samplesDir)) sources.set(`icons/${relative(samplesDir, file)}`, readFileSync(file));
const [firstSample, secondSample] = [...sources.keys()];
const raster = sources.get(firstSample as string) as Buffer;
const vector = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48"><rect width="96" height="48" rx="8" fill="#1f6feb"/></svg>',
);
const awkwardKeys: Record<string, Buffer> = {
  "icons/with space/a b.png": raster,
  "icons/plus+sign/c+d.png": raster,
  "icons/ünïcødé/图标 ✓.png": raster,
  "icons/deep/er/and/deeper/e.svg": vector,
  "icons/percent%20literal.png": raster,
};
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");

/** What the resize core promises: inside N×N, aspect kept, never enlarged. */
async function expectedSize(bytes: Buffer, size: number) {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  const scale = Math.min(1, size / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** The size-64 worker starts with this source limit: every sample fits, the large icon below does not. */
const LOW_LIMIT = Math.max(...[...sources.values()].map((bytes) => bytes.length));

let stack: E2eStack;
beforeAll(async () => {
  stack = await startE2eStack({
    environmentFor: (service): Record<string, string> =>
      service.environment.ICON_SIZE === "64" ? { MAX_SOURCE_BYTES: String(LOW_LIMIT) } : {},
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function expectOutputsOf(expected: Map<string, Buffer>) {
  const outputs = await stack.outputs();
  const wanted = [...expected.keys()].flatMap((key) => stack.sizes.map((size) => outputKey(key, size)));
  expect([...outputs.keys()].sort()).toEqual(wanted.sort());
  for (const [key, bytes] of expected) {
    for (const size of stack.sizes) {
      const output = outputs.get(outputKey(key, size));
      expect(output?.contentType, `${key} at ${size}`).toBe("image/png");
      expect(output?.metadata["source-etag"], `${key} at ${size}`).toBe(md5(bytes));
      expect(pngSize(output?.body ?? Buffer.alloc(0)), `${key} at ${size}`).toEqual(
        await expectedSize(bytes, size),
      );
    }
  }
}

describe("the local stack, end to end", () => {
  it("resizes the sample icons uploaded with iconctl upload --wait and prints every output", async () => {
    const upload = await stack.iconctl(["upload", samplesDir, "--wait", "--timeout", "90"]);
    expect(upload.code, upload.stdout + upload.stderr).toBe(0);
    expect(upload.stdout).toContain(`${sources.size} uploaded, 0 unchanged, 0 failed, 0 refused`);
    for (const key of sources.keys())
      for (const size of stack.sizes) expect(upload.stdout).toContain(`${outputKey(key, size)}`);
    expect(upload.stdout).not.toContain("timed out");
  });

  it("gives keys with spaces, +, %, unicode and deep folders exactly their outputs, and hostile files none", async () => {
    for (const [key, bytes] of Object.entries(awkwardKeys)) {
      await stack.put(key, bytes);
      sources.set(key, bytes);
    }
    for (const [key, bytes] of Object.entries(hostileFiles())) await stack.put(key, bytes);
    await stack.put("not-icons/outside-the-prefix.png", raster);
    await stack.settled();

    await expectOutputsOf(sources);
  });

  it("dead-letters every hostile file in every size with its refusal code, shown by iconctl dlq list", async () => {
    const hostile = Object.keys(hostileFiles());
    expect(Object.keys(HOSTILE_CODES).sort()).toEqual([...hostile].sort());
    for (const size of stack.sizes) {
      expect(await stack.deadLetters(size)).toBe(hostile.length);
      const listed = await stack.iconctl(["dlq", "list", "--size", String(size)]);
      expect(listed.code, listed.stderr).toBe(0);
      // The same code at every size, and the one receive it took to refuse it.
      for (const key of hostile)
        expect(listed.stdout).toMatch(
          new RegExp(
            `^${key.replace(/[.]/g, "\\.")}\\s+${HOSTILE_CODES[key]}\\s+\\S.*\\s1\\s+\\d+ (s|min)`,
            "m",
          ),
        );
    }
  });

  it("removes the outputs of deleted sources, and only theirs", async () => {
    const deleted = [
      "icons/with space/a b.png",
      "icons/ünïcødé/图标 ✓.png",
      "icons/deep/er/and/deeper/e.svg",
      firstSample as string,
      secondSample as string,
    ];
    for (const key of deleted) {
      await stack.remove(key);
      sources.delete(key);
    }
    await stack.settled();
    await expectOutputsOf(sources);
  });

  it("moves a message whose cause was fixed back with iconctl dlq redrive, and it is processed", async () => {
    // The cause: the size-64 worker runs with a source limit too small for this icon (see beforeAll).
    const large = await sharp({ create: { width: 256, height: 192, channels: 4, background: "#3e63dd" } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(large.length).toBeGreaterThan(LOW_LIMIT);
    await stack.put("icons/big/large.png", large);
    await stack.settled();

    const hostile = Object.keys(hostileFiles()).length;
    expect(await stack.deadLetters(64)).toBe(hostile + 1);
    const listed = await stack.iconctl(["dlq", "list", "--size", "64"]);
    expect(listed.stdout).toMatch(
      new RegExp(
        `icons/big/large\\.png\\s+too-many-bytes\\s+the file is ${large.length} bytes, over the ${LOW_LIMIT}-byte limit`,
      ),
    );
    const outputs = await stack.outputs();
    expect(outputs.has("icons-size-64/big/large.png")).toBe(false);
    expect(outputs.has("icons-size-32/big/large.png")).toBe(true);

    // The fix: the size-64 worker with the stack's own limit, then the redrive.
    await stack.replaceWorkers(64, {});
    const redrive = await stack.iconctl(["dlq", "redrive", "--size", "64"]);
    expect(redrive.code, redrive.stdout + redrive.stderr).toBe(0);
    expect(redrive.stdout).toContain(
      `size 64: ${hostile + 1} message(s) moved back to the queue (COMPLETED)`,
    );
    await stack.settled();

    sources.set("icons/big/large.png", large);
    await expectOutputsOf(sources);
    // The hostile files' cause is not fixed: they are back in the dead-letter queue.
    expect(await stack.deadLetters(64)).toBe(hostile);
  });

  it("shows every size in iconctl status: queues, processes as tasks, the publisher's metric, dead letters, sources without an output", async () => {
    const hostile = Object.keys(hostileFiles()).length;
    await vi.waitFor(
      async () => {
        const status = await stack.iconctl(["status"]);
        expect(status.code, status.stderr).toBe(0);
        // The hostile files are the dead letters, and the only sources without an output.
        for (const size of stack.sizes)
          expect(status.stdout).toMatch(
            new RegExp(`^\\s*${size}\\s+0\\s+0\\s+-\\s+1/1\\s+100\\s+${hostile}\\s+${hostile}$`, "m"),
          );
      },
      // The publisher records its metric every 10 s.
      { timeout: 25_000, interval: 2_000 },
    );
  });

  it("printed no SQS endpoint warning and no error in any app's log", () => {
    for (const service of stack.local.plan.services.map((s) => s.name)) {
      const lines = stack.logs(service);
      expect(lines.length, service).toBeGreaterThan(0);
      expect(JSON.stringify(lines)).not.toContain("differs from SQSClient");
      expect(lines.filter((line) => line.level === "error")).toEqual([]);
    }
  });
});
