import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { DEFAULT_KEY_LAYOUT, RESIZER_SETTINGS } from "@icon-fanout/config";
import { createLogger } from "@icon-fanout/log";
import { mockClient } from "aws-sdk-client-mock";
import { Consumer } from "sqs-consumer";
import { handleMessage } from "../handle-message.js";
import type { SizeJob } from "../process-object.js";
import { s3EventBody } from "../testing/events.js";
import { FakeResultPublisher } from "../testing/fake-result-publisher.js";
import { FakeS3 } from "../testing/fake-s3.js";
import { FakeSqs } from "../testing/fake-sqs.js";
import { storeForWork } from "../work-store.js";
import { Worker } from "../worker.js";
import { loadCorpus, round2 } from "./core.js";

const BUCKET = "icon-fanout-bench";
/** Queue and worker settings as deployed by default, so the figures describe a task as it runs. */
const DEPLOYED = {
  visibilityTimeoutSeconds: RESIZER_SETTINGS.visibilityTimeoutSeconds.default,
  maxReceiveCount: RESIZER_SETTINGS.maxReceiveCount.default,
  maxSourceBytes: RESIZER_SETTINGS.maxSourceBytes.default,
  drainSeconds: RESIZER_SETTINGS.drainSeconds.default,
};

export interface WorkerRun {
  consumer: "worker" | "sqs-consumer";
  latencyMs: number;
  /** Results events published to a fake topic with the same latency (worker only). */
  results: boolean;
  concurrency: number;
  icons: number;
  iconsPerSecond: number;
  /** Every SQS and S3 request, divided by the icons resized. */
  requestsPerIcon: number;
  /** Median milliseconds from a message's start to its settle (worker only: its log line's durationMs). */
  medianMessageMs?: number;
  requests: Record<string, number>;
}

/** A backlog of `icons` uploads through a consumer, with `latencyMs` added to every SQS and S3 request. */
export async function measureWorker(
  consumer: WorkerRun["consumer"],
  latencyMs: number,
  icons: number,
  concurrency: number,
  results = false,
): Promise<WorkerRun> {
  const corpus = loadCorpus();
  const s3 = new FakeS3({ latencyMs });
  const { visibilityTimeoutSeconds, maxReceiveCount, maxSourceBytes } = DEPLOYED;
  const sqs = new FakeSqs({ visibilityTimeoutSeconds, maxReceiveCount, latencyMs });
  for (let i = 0; i < icons; i += 1) {
    const key = `icons/bench/${i}.png`;
    s3.seed(BUCKET, key, corpus[i % corpus.length] ?? Buffer.alloc(0));
    sqs.send(s3EventBody(BUCKET, key));
  }
  const job: SizeJob = {
    size: 32,
    layout: DEFAULT_KEY_LAYOUT,
    outputBucket: BUCKET,
    sourceBuckets: [BUCKET],
    maxSourceBytes,
  };
  const publisher = results ? new FakeResultPublisher(latencyMs) : undefined;
  const started = performance.now();
  let durations: number[] = [];
  if (consumer === "worker") durations = await runWorker(sqs, s3, job, concurrency, publisher);
  else await runSqsConsumer(sqs, s3, job);
  const seconds = (performance.now() - started) / 1000;
  const requests = {
    ...prefix("sqs", sqs.requests),
    ...prefix("s3", s3.requests),
    ...(publisher ? { "sns.publish": publisher.requests } : {}),
  };
  const total = Object.values(requests).reduce((sum, count) => sum + count, 0);
  return {
    consumer,
    latencyMs,
    results,
    concurrency: consumer === "worker" ? concurrency : 10,
    icons,
    iconsPerSecond: Math.round(icons / seconds),
    requestsPerIcon: round2(total / icons),
    ...(durations.length > 0 ? { medianMessageMs: median(durations) } : {}),
    requests,
  };
}

/** Runs the worker over the backlog; returns each message's durationMs from its log line. */
async function runWorker(
  sqs: FakeSqs,
  s3: FakeS3,
  job: SizeJob,
  concurrency: number,
  publisher: FakeResultPublisher | undefined,
): Promise<number[]> {
  const durations: number[] = [];
  const log = createLogger({
    level: "info",
    write: (line) => {
      const entry = JSON.parse(line) as { msg?: string; durationMs?: number; level?: string };
      if (entry.msg === "message" && typeof entry.durationMs === "number") durations.push(entry.durationMs);
      else if (entry.level === "warn" || entry.level === "error") process.stderr.write(`${line}\n`);
    },
  });
  const worker = new Worker({
    queue: sqs,
    handle: (message, work) => handleMessage(message.body, storeForWork(s3, work), job),
    log,
    ...(publisher
      ? { results: { publisher, source: { stack: "bench", job, maxReceiveCount: DEPLOYED.maxReceiveCount } } }
      : {}),
    concurrency,
    visibilityTimeoutSeconds: DEPLOYED.visibilityTimeoutSeconds,
    drainSeconds: DEPLOYED.drainSeconds,
    waitSeconds: 1,
  });
  const run = worker.run();
  await sqs.drained();
  worker.stop();
  await run;
  return durations;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** bbc/sqs-consumer at its best: batches of ten, each handled concurrently, deleted as a batch. */
async function runSqsConsumer(sqs: FakeSqs, s3: FakeS3, job: SizeJob) {
  const client = new SQSClient({
    region: "eu-west-1",
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  const mock = mockClient(client);
  const byId = new Map<string, Awaited<ReturnType<FakeSqs["receive"]>>[number]>();
  mock.on(ReceiveMessageCommand).callsFake(async (input) => {
    const received = await sqs.receive(
      input.MaxNumberOfMessages ?? 1,
      input.WaitTimeSeconds ?? 0,
      new AbortController().signal,
    );
    for (const message of received) byId.set(message.receiptHandle, message);
    return {
      Messages: received.map((m) => ({
        MessageId: m.messageId,
        ReceiptHandle: m.receiptHandle,
        Body: m.body,
        Attributes: { ApproximateReceiveCount: String(m.receiveCount) },
      })),
    };
  });
  const lookup = (handle: string | undefined) =>
    byId.get(handle ?? "") ?? { messageId: "", receiptHandle: "", body: "", receiveCount: 0 };
  mock.on(DeleteMessageBatchCommand).callsFake(async (input) => {
    await sqs.delete(
      (input.Entries ?? []).map((entry: { ReceiptHandle?: string }) => lookup(entry.ReceiptHandle)),
    );
    return {
      Successful: (input.Entries ?? []).map((entry: { Id?: string }) => ({ Id: entry.Id })),
      Failed: [],
    };
  });
  mock.on(DeleteMessageCommand).callsFake(async (input) => {
    await sqs.delete([lookup(input.ReceiptHandle)]);
    return {};
  });
  mock.on(ChangeMessageVisibilityCommand).resolves({});
  mock.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });

  const consumer = Consumer.create({
    queueUrl: "https://sqs.eu-west-1.amazonaws.com/000000000000/bench",
    sqs: client,
    batchSize: 10,
    waitTimeSeconds: 1,
    handleMessageBatch: async (messages: Message[]) => {
      const results = await Promise.all(
        messages.map((message) => handleMessage(message.Body ?? "", s3, job)),
      );
      return messages.filter((_, index) => results[index]?.action === "delete");
    },
  });
  consumer.start();
  await sqs.drained();
  consumer.stop();
  mock.restore();
}

function prefix(service: string, counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([name, count]) => [`${service}.${name}`, count]));
}
