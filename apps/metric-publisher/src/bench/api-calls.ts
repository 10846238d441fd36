/**
 * `pnpm bench` for the metric publisher: AWS requests per tick and per month, counted by running
 * the real MetricPublisher against counting clients, next to the original design (one Lambda that,
 * per size, listed tasks, read the queue and put one datum per call).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { METRIC_NAMESPACE, SCALING_SETTINGS } from "@icon-fanout/config";
import { MetricPublisher } from "../publisher.js";

/** List prices (USD, us-east-1, November 2026), request charges only. */
const PRICE = {
  sqsPerMillion: 0.4,
  putMetricDataPerThousand: 0.01,
  lambdaPerMillion: 0.2,
  customMetricPerMonth: 0.3,
};
const TICKS_PER_MONTH = (30 * 24 * 3600) / 10;

interface Counts {
  sqs: number;
  ecs: number;
  putMetricData: number;
  lambda: number;
  metrics: number;
}

async function measure(sizes: number): Promise<Counts> {
  const counts = { sqs: 0, ecs: 0, putMetricData: 0, lambda: 0, metrics: 0 };
  const client = (onSend: (input: Record<string, unknown>) => unknown) =>
    ({ send: async (command: { input: Record<string, unknown> }) => onSend(command.input) }) as never;
  const sqs: SQSClient = client(() => {
    counts.sqs += 1;
    return { Attributes: { ApproximateNumberOfMessages: "7", ApproximateNumberOfMessagesNotVisible: "3" } };
  });
  const ecs: ECSClient = client((input) => {
    counts.ecs += 1;
    return {
      services: (input.services as string[]).map((serviceName) => ({
        serviceName,
        status: "ACTIVE",
        runningCount: 2,
        desiredCount: 2,
      })),
    };
  });
  const names = new Set<string>();
  const cloudWatch: CloudWatchClient = client((input) => {
    counts.putMetricData += 1;
    for (const datum of input.MetricData as { MetricName: string; Dimensions: { Value: string }[] }[]) {
      names.add(`${datum.MetricName}/${datum.Dimensions[0]?.Value}`);
    }
    return {};
  });
  const targets = Array.from({ length: sizes }, (_, index) => ({
    size: 16 * (index + 1),
    queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/q${index}`,
    serviceName: `resizer-${index}`,
  }));
  const publisher = new MetricPublisher({
    clients: { sqs, ecs, cloudWatch },
    clusterName: "bench",
    targets,
    namespace: METRIC_NAMESPACE,
    acceptableMessagesPerTask: SCALING_SETTINGS.acceptableMessagesPerTask.default,
    callTimeoutMs: 6_000,
  });
  await publisher.tick(new Date());
  counts.metrics = names.size;
  return counts;
}

/** The original design, per tick: for each size one ListTasks, one GetQueueAttributes, one PutMetricData. */
function original(sizes: number): Counts {
  return { sqs: sizes, ecs: sizes, putMetricData: sizes, lambda: 1 / 6, metrics: sizes };
}

function monthlyCost(counts: Counts) {
  const requests =
    (counts.sqs * TICKS_PER_MONTH * PRICE.sqsPerMillion) / 1e6 +
    (counts.putMetricData * TICKS_PER_MONTH * PRICE.putMetricDataPerThousand) / 1e3 +
    (counts.lambda * TICKS_PER_MONTH * PRICE.lambdaPerMillion) / 1e6;
  return { requests, metrics: counts.metrics * PRICE.customMetricPerMonth };
}

const rows = [];
for (const sizes of [3, 12]) {
  for (const [design, counts] of [
    ["this publisher", await measure(sizes)],
    ["original (Lambda)", original(sizes)],
  ] as const) {
    const perTick = counts.sqs + counts.ecs + counts.putMetricData;
    const cost = monthlyCost(counts);
    rows.push({
      sizes,
      design,
      callsPerTick: perTick,
      getQueueAttributes: counts.sqs,
      ecsCalls: counts.ecs,
      putMetricData: counts.putMetricData,
      requestsPerMonth: Math.round(perTick * TICKS_PER_MONTH),
      requestCostPerMonthUsd: Number(cost.requests.toFixed(2)),
      customMetrics: counts.metrics,
      metricCostPerMonthUsd: Number(cost.metrics.toFixed(2)),
    });
  }
}
console.table(rows);
const out = process.argv[2];
// A fresh clone has no bench/ folder: results are ignored by git.
if (out) mkdirSync(dirname(out), { recursive: true });
if (out)
  writeFileSync(out, `${JSON.stringify({ ticksPerMonth: TICKS_PER_MONTH, prices: PRICE, rows }, null, 2)}\n`);
