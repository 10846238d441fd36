import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import { outputKey } from "@icon-fanout/config";
import { type ResultEvent, resultDedupKey } from "@icon-fanout/events";
import { parseResultEvent } from "@icon-fanout/events/results-schema";
import sharp from "sharp";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { emulatorClients } from "../provision.js";
import { type E2eStack, pngSize, serviceOf, startE2eStack } from "./harness.js";
import { hostileFiles } from "./hostile-files.js";

/**
 * Results events end to end (docs/architecture.md, "Results events"): `upload --wait` hears a
 * refusal within seconds, a burst yields one rendered event per source and size even with a worker
 * stopped by SIGTERM in the middle, `watch --json` sees exactly its filter's events, deletions and
 * twins are reported. A subscription of the test's own, without filter, hears everything.
 */

// The 1,000: about 70 s on a 2-core machine, most of it the 60 s visibility timeout after SIGTERM.
const BURST = 1000;
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");

let stack: E2eStack;
let scratch: string;
const heard: ResultEvent[] = [];
let listening = true;
let collector: Promise<void>;

beforeAll(async () => {
  stack = await startE2eStack();
  scratch = mkdtempSync(join(tmpdir(), "results-e2e-"));
  const { sns, sqs } = emulatorClients(stack.local.emulator.endpoint, stack.local.plan.region);
  const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: "e2e-every-result" }));
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: stack.local.state.outputs.resultsTopicArn,
      Protocol: "sqs",
      Endpoint: Attributes.QueueArn,
      Attributes: { RawMessageDelivery: "true" },
    }),
  );
  collector = (async () => {
    while (listening) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) {
        const parsed = parseResultEvent(message.Body ?? "");
        if (parsed.kind !== "event") throw new Error(`not a results event: ${parsed.reason}`);
        heard.push(parsed.event);
      }
      if (Messages.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl,
            Entries: Messages.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
    }
  })();
});
afterAll(async () => {
  listening = false;
  await collector;
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The events heard for `sourceKey`, once each (delivery is at least once). */
const distinct = (filter: (event: ResultEvent) => boolean) => {
  const byKey = new Map<string, ResultEvent>();
  for (const event of heard.filter(filter)) byKey.set(resultDedupKey(event), event);
  return [...byKey.values()];
};

it("upload --wait of a truncated PNG prints its reason at every size in under 5 s", async () => {
  const file = join(scratch, "cut.png");
  writeFileSync(file, hostileFiles()["icons/hostile/truncated.png"] as Buffer);
  const started = performance.now();
  const { code, stdout } = await stack.iconctl(["upload", file, "--wait"]);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`upload --wait of a truncated PNG answered in ${seconds.toFixed(2)} s\n`);
  expect(code).toBe(1);
  for (const size of stack.sizes)
    expect(stdout).toMatch(new RegExp(`^refused icons/cut\\.png size ${size}: truncated: \\S`, "m"));
  expect(seconds).toBeLessThan(5);
});

it("upload --wait of x while x.png exists reports the twin that keeps the output", async () => {
  const png = await sharp({ create: { width: 20, height: 20, channels: 4, background: "#c00" } })
    .png()
    .toBuffer();
  await stack.put("icons/logo.svg.png", png);
  await stack.settled();
  const svg = join(scratch, "logo.svg");
  writeFileSync(
    svg,
    '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>',
  );
  const { code, stdout } = await stack.iconctl(["upload", svg, "--wait", "--timeout", "30"]);
  expect(code).toBe(0);
  for (const size of stack.sizes)
    expect(stdout).toMatch(
      new RegExp(
        `^kept-by-twin icons/logo\\.svg size ${size}: .* belongs to icons/logo\\.svg\\.png \\(twin rule\\)`,
        "m",
      ),
    );
});

it(`a burst of ${BURST} with the size-16 worker stopped by SIGTERM midway yields one rendered event per source and size, matching the outputs; watch --json sees exactly its filter's events; deletions yield removed`, async () => {
  const watch = stack.spawnIconctl(["watch", "--json", "--size", "16", "--prefix", "icons/burst/1"]);
  let watched = "";
  let noted = "";
  watch.stdout?.on("data", (chunk) => (watched += chunk));
  watch.stderr?.on("data", (chunk) => (noted += chunk));
  const watchExit = new Promise((resolve) => watch.on("exit", resolve));
  await vi.waitFor(() => expect(noted).toContain("watching results"), { timeout: 20_000, interval: 50 });

  const icons = new Map<string, Buffer>();
  for (let n = 0; n < BURST; n += 1)
    icons.set(
      `icons/burst/${String(n).padStart(3, "0")}.png`,
      await sharp({
        create: { width: 48, height: 40, channels: 4, background: { r: n % 256, g: 90, b: 200, alpha: 1 } },
      })
        .png()
        .toBuffer(),
    );
  const keys = [...icons.keys()];
  const uploads = Promise.all(
    Array.from({ length: 16 }, async (_, lane) => {
      for (let index = lane; index < keys.length; index += 16)
        await stack.put(keys[index] as string, icons.get(keys[index] as string) as Buffer);
    }),
  );
  const service = serviceOf(stack.local, 16);
  const [worker] = stack.local.processes.running(service);
  if (!worker) throw new Error("no size-16 worker");
  const burstEvents16 = () =>
    heard.filter((e) => e.size === 16 && e.sourceKey.startsWith("icons/burst/")).length;
  await vi.waitFor(() => expect(burstEvents16()).toBeGreaterThanOrEqual(20), {
    timeout: 60_000,
    interval: 20,
  });
  expect(await stack.local.processes.stop(worker, "SIGTERM")).toEqual({ code: 0, signal: null });
  expect(burstEvents16()).toBeLessThan(BURST);
  stack.local.startProcess(service);
  await uploads;
  // Messages an aborted long poll took come back after the visibility timeout (60 s).
  await stack.settled(150_000);
  await vi.waitFor(() => expect(burstEvents16()).toBeGreaterThanOrEqual(BURST), { timeout: 10_000 });

  const outputs = await stack.outputs();
  for (const size of stack.sizes) {
    const events = distinct((e) => e.size === size && e.sourceKey.startsWith("icons/burst/"));
    expect(
      events.map((e) => e.outcome).filter((outcome) => outcome !== "rendered"),
      `size ${size}`,
    ).toEqual([]);
    expect(events.map((e) => e.sourceKey).sort(), `size ${size}`).toEqual(keys);
    for (const event of events) {
      if (event.outcome !== "rendered") continue;
      const output = outputs.get(outputKey(event.sourceKey, size));
      expect(event.outputKey).toBe(outputKey(event.sourceKey, size));
      expect(event.sourceEtag).toBe(md5(icons.get(event.sourceKey) as Buffer));
      expect(output?.metadata["source-etag"]).toBe(event.sourceEtag);
      expect(pngSize(output?.body as Buffer)).toEqual({ width: event.width, height: event.height });
      expect(event.bytes).toBe(output?.body.length);
    }
  }

  const expected = distinct((e) => e.size === 16 && e.sourceKey.startsWith("icons/burst/1")).map(
    resultDedupKey,
  );
  expect(expected).toHaveLength(100);
  // watch reads its own queue in its own process: what is still queued when it stops is not printed.
  const watchedLines = () => watched.split("\n").filter(Boolean);
  await vi.waitFor(() => expect(watchedLines().length).toBeGreaterThanOrEqual(expected.length), {
    timeout: 30_000,
    interval: 50,
  });
  watch.kill("SIGTERM");
  await watchExit;
  const watchedKeys = watchedLines()
    .map((line) => resultDedupKey(JSON.parse(line) as ResultEvent))
    .sort();
  expect(watchedKeys).toEqual(expected.sort());

  const removed = keys.slice(0, 3);
  for (const key of removed) await stack.remove(key);
  await stack.settled();
  await vi.waitFor(
    () => {
      const events = distinct((e) => e.outcome === "removed" && removed.includes(e.sourceKey));
      expect(events).toHaveLength(removed.length * stack.sizes.length);
    },
    { timeout: 10_000, interval: 100 },
  );
});
