import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  ICON_SIZE_DIMENSION,
  iconSizeDimension,
  METRIC_NAMES,
  METRIC_NAMESPACE,
  type StackOutputs,
} from "@icon-fanout/config";
import type { SizeCoverage } from "./coverage.js";
import { readLocalServices } from "./local-stack.js";
import { queueNameOf } from "./outputs.js";
import { table } from "./render.js";

export interface SizeStatus {
  size: number;
  visible: number;
  inFlight: number;
  /** Seconds, from CloudWatch (one-minute resolution); undefined when there is no datapoint yet. */
  oldestAgeSeconds?: number;
  running: number;
  desired: number;
  /** The latest published scaling metric; undefined when the publisher has published nothing recently. */
  scalingMetric?: number;
  deadLetters: number;
}

/** Messages waiting (visible) and being worked on (in flight), as SQS approximates them. */
export async function readQueueDepth(
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** One snapshot of every size: queue depths, tasks, the scaling metric and the dead letters. */
export async function readStatus(
  clients: { sqs: SQSClient; ecs: ECSClient; cloudWatch: CloudWatchClient },
  outputs: StackOutputs,
  now = new Date(),
  /** A local stack's file: its processes and recorded metric stand in for ECS and CloudWatch. */
  localStack?: string,
): Promise<SizeStatus[]> {
  const [queues, deadLetters, { services, metrics }] = await Promise.all([
    Promise.all(outputs.sizes.map((size) => readQueueDepth(clients.sqs, size.queueUrl))),
    Promise.all(outputs.sizes.map((size) => readQueueDepth(clients.sqs, size.deadLetterQueueUrl))),
    localStack ? readLocalServices(localStack, outputs) : readServices(clients, outputs, now),
  ]);
  const byService = new Map(services.map((service) => [service.serviceName, service]));
  return outputs.sizes.map((size, index) => {
    const service = byService.get(size.serviceName);
    const status: SizeStatus = {
      size: size.size,
      visible: queues[index]?.visible ?? 0,
      inFlight: queues[index]?.inFlight ?? 0,
      running: service?.running ?? 0,
      desired: service?.desired ?? 0,
      deadLetters: deadLetters[index]?.visible ?? 0,
    };
    const age = metrics.get(`age${index}`);
    const metric = metrics.get(`metric${index}`);
    if (age !== undefined) status.oldestAgeSeconds = age;
    if (metric !== undefined) status.scalingMetric = metric;
    return status;
  });
}

async function readServices(
  clients: { ecs: ECSClient; cloudWatch: CloudWatchClient },
  outputs: StackOutputs,
  now: Date,
) {
  const [described, metrics] = await Promise.all([
    clients.ecs.send(
      new DescribeServicesCommand({
        cluster: outputs.clusterName,
        services: outputs.sizes.map((s) => s.serviceName),
      }),
    ),
    latestMetrics(clients.cloudWatch, outputs, now),
  ]);
  const services = (described.services ?? []).map((service) => ({
    serviceName: service.serviceName,
    running: service.runningCount,
    desired: service.desiredCount,
  }));
  return { services, metrics };
}

async function latestMetrics(
  cloudWatch: CloudWatchClient,
  outputs: StackOutputs,
  now: Date,
): Promise<Map<string, number>> {
  const queries: MetricDataQuery[] = outputs.sizes.flatMap((size, index) => [
    {
      Id: `metric${index}`,
      MetricStat: {
        Metric: {
          Namespace: METRIC_NAMESPACE,
          MetricName: METRIC_NAMES.scaling,
          Dimensions: [{ Name: ICON_SIZE_DIMENSION, Value: iconSizeDimension(size.size) }],
        },
        Period: 10,
        Stat: "Average",
      },
    },
    {
      Id: `age${index}`,
      MetricStat: {
        Metric: {
          Namespace: "AWS/SQS",
          MetricName: "ApproximateAgeOfOldestMessage",
          Dimensions: [{ Name: "QueueName", Value: queueNameOf(size.queueUrl) }],
        },
        Period: 60,
        Stat: "Maximum",
      },
    },
  ]);
  const response = await cloudWatch.send(
    new GetMetricDataCommand({
      MetricDataQueries: queries,
      StartTime: new Date(now.getTime() - 5 * 60_000),
      EndTime: now,
      ScanBy: "TimestampDescending",
    }),
  );
  const latest = new Map<string, number>();
  for (const result of response.MetricDataResults ?? []) {
    const value = result.Values?.[0];
    if (result.Id && value !== undefined) latest.set(result.Id, value);
  }
  return latest;
}

/**
 * The status table; with `coverage`, a column of sources without an output per size, and a line
 * naming the backfill for each size that has no outputs at all.
 */
export function renderStatus(
  stack: string,
  statuses: SizeStatus[],
  at: Date,
  coverage?: SizeCoverage[],
): string {
  const bySize = new Map(coverage?.map((entry) => [entry.size, entry]));
  const rows = statuses.map((s) => [
    s.size,
    s.visible,
    s.inFlight,
    s.oldestAgeSeconds === undefined ? "-" : `${Math.round(s.oldestAgeSeconds)} s`,
    `${s.running}/${s.desired}`,
    s.scalingMetric === undefined ? "none" : s.scalingMetric.toFixed(0),
    s.deadLetters,
    bySize.get(s.size)?.withoutOutput ?? "-",
  ]);
  const headers = ["size", "waiting", "in flight", "oldest", "tasks", "metric", "dead letters", "no output"];
  const hints = (coverage ?? [])
    .filter((entry) => entry.outputs === 0 && entry.withoutOutput > 0)
    .map(
      (entry) =>
        `size ${entry.size} has no outputs yet for ${entry.withoutOutput} source(s): iconctl backfill --stack ${stack} --size ${entry.size}\n`,
    );
  return `${stack} at ${at.toISOString()}\n${table(headers, rows)}\n${hints.join("")}`;
}
