/**
 * iconctl's temporary subscriptions on SNS and SQS as the emulator implements them: `watch` and
 * `upload --wait` as processes, a stand-in worker that publishes contract events, and the queue and
 * subscription gone after every way a run can end.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CreateBucketCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import {
  CreateTopicCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, ListQueuesCommand } from "@aws-sdk/client-sqs";
import {
  DEFAULT_KEY_LAYOUT,
  LISTENER_QUEUE_TAG,
  type LocalStack,
  listenerQueuePrefix,
  outputKey,
  resultsTopicName,
  SOURCE_METADATA,
  stackPrefix,
} from "@icon-fanout/config";
import { type ResultEvent, resultAttributes } from "@icon-fanout/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "./emulator.js";
import { emulatorClients } from "./provision.js";

const run = promisify(execFile);
const REGION = "eu-west-1";
const ACCOUNT = "000000000000";
const ICONCTL = new URL("../../iconctl/dist/main.js", import.meta.url).pathname;
const dev = stackPrefix("dev");
const SIZES = [16, 32];
const BUCKET = "icon-fanout-dev-test";
const TRUNCATED_PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000100000001008060000", "hex");

const refused = (sourceKey: string, size: number, uploadId?: string): ResultEvent => ({
  schemaVersion: 1,
  stack: "dev",
  size,
  bucket: BUCKET,
  sourceKey,
  outputKey: outputKey(sourceKey, size, DEFAULT_KEY_LAYOUT),
  renderVersion: 1,
  messageId: `m-${sourceKey}-${size}`,
  receiveCount: 1,
  time: new Date().toISOString(),
  ...(uploadId ? { uploadId } : {}),
  outcome: "refused",
  reason: { code: "truncated", message: "the PNG data ends early" },
});

describe("iconctl's temporary subscriptions on the emulator", { timeout: 60_000 }, () => {
  let emulator: Emulator;
  let clients: ReturnType<typeof emulatorClients>;
  let scratch: string;
  let stackFile: string;
  let topicArn = "";

  beforeAll(async () => {
    emulator = await startEmulator({ region: REGION });
    clients = emulatorClients(emulator.endpoint, REGION);
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    ({ TopicArn: topicArn = "" } = await clients.sns.send(
      new CreateTopicCommand({ Name: resultsTopicName(dev) }),
    ));
    const queue =
      (await clients.sqs.send(new CreateQueueCommand({ QueueName: `${dev}-size` }))).QueueUrl ?? "";
    scratch = mkdtempSync(join(tmpdir(), "results-listener-"));
    stackFile = join(scratch, "stack.json");
    writeFileSync(join(scratch, "cut.png"), TRUNCATED_PNG);
    const local: LocalStack = {
      stack: "dev",
      endpoint: emulator.endpoint,
      region: REGION,
      outputs: {
        bucketName: BUCKET,
        accessPointArn: BUCKET,
        accessPointAlias: BUCKET,
        operatorRoleArn: `arn:aws:iam::${ACCOUNT}:role/${dev}-operators`,
        topicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${dev}-uploads`,
        resultsTopicArn: topicArn,
        undeliveredQueueUrl: queue,
        maxSourceBytes: 10 * 1024 ** 2,
        sizes: SIZES.map((size) => ({
          size,
          queueUrl: queue,
          deadLetterQueueUrl: queue,
          serviceName: `${dev}-resizer${size}`,
        })),
        keyLayout: { ...DEFAULT_KEY_LAYOUT },
        clusterName: dev,
        alarmTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:${dev}-alarms`,
      },
      services: {},
      notEmulated: [],
    };
    writeFileSync(stackFile, JSON.stringify(local));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const publish = (event: ResultEvent) =>
    clients.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify(event),
        MessageAttributes: resultAttributes(event),
      }),
    );
  const listenerQueues = async () =>
    (await clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: listenerQueuePrefix(dev) })))
      .QueueUrls ?? [];
  const subscriptions = async () =>
    (await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  const spawnIconctl = (args: string[]) =>
    spawn(process.execPath, [ICONCTL, ...args, "--stack", "dev", "--local", stackFile], { cwd: scratch });
  const collect = (child: ChildProcess) => {
    const text = { stdout: "", stderr: "" };
    child.stdout?.on("data", (chunk) => (text.stdout += chunk));
    child.stderr?.on("data", (chunk) => (text.stderr += chunk));
    const exit = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
    return { text, exit };
  };
  const until = async (check: () => boolean, what: string, timeoutMs = 15_000) => {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it("watch --json --size --prefix prints exactly the events its filter lets through, and SIGTERM removes its queue and subscription", async () => {
    const child = spawnIconctl(["watch", "--json", "--size", "32", "--prefix", "icons/brand/"]);
    const { text, exit } = collect(child);
    await until(() => text.stderr.includes("watching results"), "watch to subscribe");
    expect(await listenerQueues()).toHaveLength(1);
    const wanted = [refused("icons/brand/a.png", 32), refused("icons/brand/b.png", 32)];
    for (const event of [
      refused("icons/brand/a.png", 16),
      wanted[0] as ResultEvent,
      refused("icons/brand-new/a.png", 32),
      refused("icons/other/a.png", 32),
      wanted[1] as ResultEvent,
    ])
      await publish(event);
    // Redelivery (at least once) of the same event must not print it twice.
    await publish(wanted[0] as ResultEvent);
    await until(() => text.stdout.split("\n").filter(Boolean).length >= 2, "two events");
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    const lines = text.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(wanted);
    expect(await listenerQueues()).toEqual([]);
    expect(await subscriptions()).toEqual([]);
  });

  it("upload --wait prints a refusal with its reason as soon as the worker reports it, and removes its queue", async () => {
    // A stand-in worker: each size refuses the upload, with the upload id from the source's metadata.
    const worker = (change: { key: string; eventName: string }) => {
      if (!change.eventName.startsWith("ObjectCreated") || !change.key.startsWith("icons/")) return;
      void clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: change.key })).then(async (head) => {
        const uploadId = head.Metadata?.[SOURCE_METADATA.uploadId];
        for (const size of SIZES) await publish(refused(change.key, size, uploadId));
      });
    };
    emulator.onObjectChange(worker);
    const started = Date.now();
    const { text, exit } = collect(
      spawnIconctl(["upload", join(scratch, "cut.png"), "--wait", "--timeout", "60"]),
    );
    const code = await exit;
    const seconds = (Date.now() - started) / 1000;
    expect(code).toBe(1);
    expect(seconds).toBeLessThan(5);
    expect(text.stdout).toMatch(
      /^refused icons\/cut\.png size 16: truncated: the PNG data ends early \(\d+(\.\d)? s\)$/m,
    );
    expect(text.stdout).toMatch(/^refused icons\/cut\.png size 32: truncated: the PNG data ends early/m);
    expect(text.stdout).toContain("2 refused\n");
    expect(await listenerQueues()).toEqual([]);
    expect(await subscriptions()).toEqual([]);
  });

  it("removes a listener queue a killed run left over an hour ago, with its subscription, and leaves a young one", async () => {
    const leftover = async (name: string, createdAt: Date) => {
      const { QueueUrl = "" } = await clients.sqs.send(
        new CreateQueueCommand({
          QueueName: `${listenerQueuePrefix(dev)}${name}`,
          tags: { [LISTENER_QUEUE_TAG]: createdAt.toISOString() },
        }),
      );
      await clients.sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: "sqs",
          Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:${listenerQueuePrefix(dev)}${name}`,
        }),
      );
      return QueueUrl;
    };
    const old = await leftover("killed", new Date(Date.now() - 2 * 3600_000));
    const young = await leftover("running", new Date());
    const status = await run(process.execPath, [
      ICONCTL,
      "status",
      "--no-listing",
      "--stack",
      "dev",
      "--local",
      stackFile,
    ]);
    expect(status.stdout).toContain(
      `listeners: 1 temporary queue(s) left by interrupted iconctl runs (${listenerQueuePrefix(dev)}killed;`,
    );

    const child = spawnIconctl(["watch"]);
    const { text, exit } = collect(child);
    await until(() => text.stdout.includes("watching results"), "watch to subscribe");
    expect(text.stdout).toContain("removed 1 listener queue(s) left by interrupted runs\n");
    const queues = await listenerQueues();
    expect(queues).not.toContain(old);
    expect(queues).toContain(young);
    child.kill("SIGINT");
    expect(await exit).toBe(0);
    const endpoints = (await subscriptions()).map((subscription) => subscription.Endpoint?.split(":").at(-1));
    expect(endpoints).toEqual([`${listenerQueuePrefix(dev)}running`]);
  });
});
