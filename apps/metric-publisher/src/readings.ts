import { DescribeServicesCommand, type ECSClient } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ScalingTarget } from "@icon-fanout/config";

/** What one tick knows about one size. */
export interface SizeReading {
  size: number;
  /** ApproximateNumberOfMessages: waiting to be received. */
  visible: number;
  /** ApproximateNumberOfMessagesNotVisible: received, not yet deleted. */
  inFlight: number;
  /** Tasks ECS reports running for the size's service. */
  running: number;
  /** Tasks the service is asked to run (its desired count), started or not. */
  desired: number;
}

export type ReadingOutcome = { size: number; reading: SizeReading } | { size: number; failure: string };

/** Running and desired tasks by service name, or why a service could not be read. */
export type TaskCounter = (serviceNames: string[]) => Promise<Map<string, TaskCounts | string>>;

/** DescribeServices accepts at most 10 services per call. */
export const DESCRIBE_SERVICES_BATCH = 10;

export interface ReadingCalls {
  getQueueAttributes: number;
  describeServices: number;
}

/**
 * Reads every size's queue depth and running and desired task counts at once: one GetQueueAttributes per
 * queue, in parallel, and DescribeServices in batches of 10. A size whose queue or service
 * cannot be read gets a failure instead of a reading; the other sizes are unaffected.
 */
export async function readSizes(
  clients: { sqs: SQSClient; ecs: ECSClient },
  clusterName: string,
  targets: readonly ScalingTarget[],
  signal: AbortSignal,
  /** Counts tasks instead of ECS (the local stack's processes); default: DescribeServices. */
  countTasks?: TaskCounter,
): Promise<{ outcomes: ReadingOutcome[]; calls: ReadingCalls }> {
  const calls: ReadingCalls = { getQueueAttributes: targets.length, describeServices: 0 };
  const batches: ScalingTarget[][] = [];
  for (let start = 0; start < targets.length; start += DESCRIBE_SERVICES_BATCH) {
    batches.push(targets.slice(start, start + DESCRIBE_SERVICES_BATCH));
  }
  if (!countTasks) calls.describeServices = batches.length;

  const [queues, services] = await Promise.all([
    Promise.all(targets.map((target) => settle(readQueue(clients.sqs, target.queueUrl, signal)))),
    countTasks
      ? countTasks(targets.map((target) => target.serviceName))
      : Promise.all(
          batches.map((batch) => settle(readServices(clients.ecs, clusterName, batch, signal))),
        ).then((results) => mergeServices(batches, results)),
  ]);

  const outcomes = targets.map((target, index): ReadingOutcome => {
    const queue = queues[index];
    const tasks = services.get(target.serviceName);
    if (!queue || "failure" in queue)
      return { size: target.size, failure: `queue: ${queue?.failure ?? "not read"}` };
    if (tasks === undefined || typeof tasks === "string") {
      return { size: target.size, failure: `service: ${tasks ?? "not read"}` };
    }
    return { size: target.size, reading: { size: target.size, ...queue.value, ...tasks } };
  });
  return { outcomes, calls };
}

async function readQueue(sqs: SQSClient, queueUrl: string, signal: AbortSignal) {
  const response = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
    { abortSignal: signal },
  );
  return {
    visible: count(response.Attributes?.ApproximateNumberOfMessages, "ApproximateNumberOfMessages"),
    inFlight: count(
      response.Attributes?.ApproximateNumberOfMessagesNotVisible,
      "ApproximateNumberOfMessagesNotVisible",
    ),
  };
}

/** Task counts by service name, or a reason per service that ECS could not describe. */
async function readServices(ecs: ECSClient, cluster: string, batch: ScalingTarget[], signal: AbortSignal) {
  const response = await ecs.send(
    new DescribeServicesCommand({ cluster, services: batch.map((target) => target.serviceName) }),
    { abortSignal: signal },
  );
  const result = new Map<string, TaskCounts | string>();
  for (const service of response.services ?? []) {
    const name = service.serviceName ?? "";
    if (service.status !== undefined && service.status !== "ACTIVE")
      result.set(name, `service is ${service.status}`);
    else if (!isCount(service.runningCount)) result.set(name, "runningCount missing");
    else if (!isCount(service.desiredCount)) result.set(name, "desiredCount missing");
    else result.set(name, { running: service.runningCount, desired: service.desiredCount });
  }
  for (const failure of response.failures ?? []) {
    const name = failure.arn?.split("/").at(-1) ?? "";
    result.set(name, `DescribeServices: ${failure.reason ?? "failed"}`);
  }
  return result;
}

export type TaskCounts = { running: number; desired: number };

function isCount(value: number | undefined): value is number {
  return Number.isSafeInteger(value) && (value ?? -1) >= 0;
}

function mergeServices(
  batches: ScalingTarget[][],
  results: Settled<Map<string, TaskCounts | string>>[],
): Map<string, TaskCounts | string> {
  const merged = new Map<string, TaskCounts | string>();
  results.forEach((result, index) => {
    for (const target of batches[index] ?? []) {
      if ("failure" in result) merged.set(target.serviceName, `DescribeServices: ${result.failure}`);
      else
        merged.set(
          target.serviceName,
          result.value.get(target.serviceName) ?? "not in DescribeServices response",
        );
    }
  });
  return merged;
}

function count(raw: string | undefined, name: string): number {
  const value = raw === undefined || !/^\d+$/.test(raw) ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(value))
    throw new Error(`${name} is ${raw === undefined ? "missing" : JSON.stringify(raw)}`);
  return value;
}

type Settled<T> = { value: T } | { failure: string };

async function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await promise };
  } catch (error) {
    const e = error as Error;
    return { failure: e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message };
  }
}
