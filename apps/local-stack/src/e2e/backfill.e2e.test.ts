import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { OUTPUT_METADATA, outputKey, outputPrefixFor } from "@icon-fanout/config";
import { RENDER_VERSION } from "@icon-fanout/imaging";
import { loadIcons } from "@icon-fanout/test-icons";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type E2eStack, serviceOf, startE2eStack } from "./harness.js";

/**
 * `iconctl backfill` on the local stack: 1,000 sources and a size with no outputs, as after
 * `pulumi up` adds it. The stack runs sizes 16 and 128; once the uploads are rendered, every
 * size-128 output is deleted (outside the input prefix, so nothing is notified), which leaves what
 * adding 128 leaves: the sources, no outputs of 128, its queue empty and its worker idle.
 */

const SOURCES = 1000;
const NEW_SIZE = 128;
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");

let stack: E2eStack;
const sources = new Map<string, Buffer>();
const journals: string[] = [];
/** iconctl's environment with a journal folder of its own, as a fresh operator's machine has. */
const freshMachine = () => {
  const dir = mkdtempSync(join(tmpdir(), "iconctl-state-"));
  journals.push(dir);
  return { XDG_STATE_HOME: dir };
};

beforeAll(async () => {
  stack = await startE2eStack({ iconSizes: [16, NEW_SIZE] });
  const icons = loadIcons();
  for (let n = 0; n < SOURCES; n += 1)
    sources.set(`icons/library/${String(n).padStart(4, "0")}.png`, icons[n % icons.length]?.bytes as Buffer);
  const keys = [...sources.keys()];
  await Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let index = lane; index < keys.length; index += 16)
        await stack.put(keys[index] as string, sources.get(keys[index] as string) as Buffer);
    }),
  );
  await stack.settled(240_000);
  await removeOutputsOf(NEW_SIZE);
}, 300_000);
afterAll(async () => {
  await stack?.stop();
  for (const dir of journals) rmSync(dir, { recursive: true, force: true });
});

async function outputKeysOf(size: number): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await stack.s3.send(
      new ListObjectsV2Command({
        Bucket: stack.bucket,
        Prefix: outputPrefixFor(size, stack.local.state.outputs.keyLayout),
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key as string);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

async function removeOutputsOf(size: number): Promise<void> {
  const keys = await outputKeysOf(size);
  await Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let index = lane; index < keys.length; index += 16)
        await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: keys[index] }));
    }),
  );
  await stack.settled();
  expect(await outputKeysOf(size)).toEqual([]);
}

/** The source keys the size's resizer processes rendered, once per render, from log line `skip` on. */
function rendered(size: number, skip = 0): string[] {
  return stack
    .logs(serviceOf(stack.local, size))
    .filter((line) => line.outcome === "resized")
    .slice(skip)
    .map((line) => (line.objects as { key: string }[])[0]?.key as string);
}

/** Every source has its size-128 output, made from it by this render version, and nothing else is there. */
async function expectEveryOutput(): Promise<void> {
  expect((await outputKeysOf(NEW_SIZE)).sort()).toEqual(
    [...sources.keys()].map((key) => outputKey(key, NEW_SIZE)).sort(),
  );
  const outputs = await stack.outputs();
  for (const [key, bytes] of sources) {
    expect(outputs.get(outputKey(key, NEW_SIZE))?.metadata, key).toMatchObject({
      [OUTPUT_METADATA.sourceEtag]: md5(bytes),
      [OUTPUT_METADATA.renderVersion]: String(RENDER_VERSION),
    });
  }
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

describe(`iconctl backfill on the local stack (${SOURCES} sources, a new size ${NEW_SIZE})`, () => {
  it("is named by iconctl status, renders every source once, and a second run enqueues nothing", async () => {
    const status = await stack.iconctl(["status"]);
    expect(status.stdout).toContain(
      `size ${NEW_SIZE} has no outputs yet for ${SOURCES} source(s): iconctl backfill --stack dev --size ${NEW_SIZE}`,
    );
    const machine = freshMachine();
    const dryRun = await stack.iconctl(["backfill", "--size", String(NEW_SIZE), "--dry-run"], machine);
    expect(dryRun.stdout).toMatch(new RegExp(`enqueue +${SOURCES} +no output yet`));
    expect(dryRun.stdout).toContain("dry run: nothing sent");

    const renderedBefore = rendered(NEW_SIZE).length;
    const started = performance.now();
    const backfill = await stack.iconctl(["backfill", "--size", String(NEW_SIZE)], machine);
    const enqueueSeconds = seconds(started);
    expect(backfill.code, backfill.stdout + backfill.stderr).toBe(0);
    expect(backfill.stdout).toMatch(new RegExp(`enqueued ${SOURCES} to \\S+size${NEW_SIZE} in`));
    await stack.settled(240_000);
    const doneSeconds = seconds(started);

    await expectEveryOutput();
    const renders = rendered(NEW_SIZE, renderedBefore);
    expect(renders).toHaveLength(SOURCES);
    expect(new Set(renders).size).toBe(SOURCES);
    expect(await stack.deadLetters(NEW_SIZE)).toBe(0);

    const again = performance.now();
    const second = await stack.iconctl(["backfill", "--size", String(NEW_SIZE)], machine);
    const secondSeconds = seconds(again);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(
      new RegExp(`skip +${SOURCES} +output made from this version of the source`),
    );
    expect(second.stdout).toContain("nothing to enqueue\n");
    process.stdout.write(
      `backfill of ${SOURCES} at the default rate: enqueued in ${enqueueSeconds} s, every output written ${doneSeconds} s after the start; the second run (enqueued 0) took ${secondSeconds} s\n`,
    );
  });

  it("interrupted with Ctrl-C and run again, sends the rest and nothing twice", async () => {
    await removeOutputsOf(NEW_SIZE);
    const machine = freshMachine();
    const renderedBefore = rendered(NEW_SIZE).length;
    const args = ["backfill", "--size", String(NEW_SIZE), "--rate", "100"];

    const first = stack.spawnIconctl(args, machine);
    let printed = "";
    first.stdout?.on("data", (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => first.on("exit", (code) => resolve(code)));
    await vi.waitFor(
      () => {
        const sent = [...printed.matchAll(/^enqueued (\d+)\/\d+$/gm)].map((match) => Number(match[1]));
        if (Math.max(0, ...sent) < 300) throw new Error(`not yet: ${printed.slice(-200)}`);
      },
      { timeout: 60_000, interval: 50 },
    );
    first.kill("SIGINT");
    expect(await exited).toBe(1);
    const interrupted = /interrupted: (\d+) of 1000 enqueued/.exec(printed);
    expect(interrupted, printed).not.toBeNull();
    const sentFirst = Number(interrupted?.[1]);
    expect(sentFirst).toBeGreaterThanOrEqual(300);
    expect(sentFirst).toBeLessThan(SOURCES);

    const second = await stack.iconctl(args, machine);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^continuing the run started \\S+: ${sentFirst} sent`));
    expect(second.stdout).toContain(`enqueued ${SOURCES - sentFirst} to `);
    await stack.settled(240_000);

    await expectEveryOutput();
    const renders = rendered(NEW_SIZE, renderedBefore);
    expect(renders).toHaveLength(SOURCES);
    expect(new Set(renders).size).toBe(SOURCES);

    const third = await stack.iconctl(args, machine);
    expect(third.stdout).toContain("nothing to enqueue\n");
    process.stdout.write(
      `interrupted after ${sentFirst} of ${SOURCES}; the second run sent ${SOURCES - sentFirst}, the third 0\n`,
    );
  });
});
