import { createHash } from "node:crypto";
import { outputKey } from "@icon-fanout/config";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { burstIcons } from "./burst-icons.js";
import { type E2eStack, serviceOf, startE2eStack } from "./harness.js";

/** SIGTERM to a worker in the middle of a burst, then a new worker: nothing lost, nothing done twice. */

const BURST = 300;
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");

let stack: E2eStack;
let icons: Map<string, Buffer>;
beforeAll(async () => {
  stack = await startE2eStack();
  icons = await burstIcons("icons/burst", BURST);
});
afterAll(async () => {
  await stack?.stop();
});

it(`loses and duplicates nothing when the size-16 worker is stopped in the middle of a burst of ${BURST}`, async () => {
  const service = serviceOf(stack.local, 16);
  const [worker] = stack.local.processes.running(service);
  if (!worker) throw new Error("no size-16 worker");
  const keys = [...icons.keys()];
  const uploads = Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let index = lane; index < keys.length; index += 16) {
        const key = keys[index] as string;
        await stack.put(key, icons.get(key) as Buffer);
      }
    }),
  );
  const done16 = () => stack.logs(service).filter((line) => line.outcome === "resized").length;
  await vi.waitFor(() => expect(done16()).toBeGreaterThanOrEqual(20), { timeout: 60_000, interval: 20 });

  const signalled = performance.now();
  const exit = await stack.local.processes.stop(worker, "SIGTERM");
  const exitSeconds = (performance.now() - signalled) / 1000;
  const drained = stack.logs(service).find((line) => line.msg === "drained");
  // Mid-burst: the worker had started some of the burst and left the rest to the next one.
  expect(done16()).toBeLessThan(BURST);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(exitSeconds).toBeLessThan(10);
  expect(drained).toMatchObject({ unfinished: 0 });
  process.stdout.write(
    `size-16 worker exited ${exitSeconds.toFixed(2)} s after SIGTERM, after ${done16()} of ${BURST} (returned ${String(drained?.returned)} unstarted)\n`,
  );

  stack.local.startProcess(service);
  await uploads;
  // Messages an aborted long poll took come back after the visibility timeout (60 s).
  await stack.settled(150_000);

  const outputs = await stack.outputs();
  for (const size of stack.sizes) {
    for (const [key, png] of icons) {
      expect(outputs.get(outputKey(key, size))?.metadata["source-etag"], `${key} at ${size}`).toBe(md5(png));
    }
    // Each source was resized once per size: no message was worked on twice.
    const resized = stack
      .logs(serviceOf(stack.local, size))
      .flatMap((line) => (line.outcome === "resized" ? [(line.objects as { key: string }[])[0]?.key] : []))
      .filter((key) => key?.startsWith("icons/burst/"));
    expect(resized, `size ${size}`).toHaveLength(BURST);
    expect(new Set(resized).size, `size ${size}`).toBe(BURST);
  }
  expect(outputs.size).toBe(BURST * stack.sizes.length);
  for (const size of stack.sizes) expect(await stack.deadLetters(size)).toBe(0);
});
