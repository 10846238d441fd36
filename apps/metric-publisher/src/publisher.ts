import { type CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { ScalingTarget } from "@icon-fanout/config";
import { datumsFor, inBatches } from "./datums.js";
import { readSizes, type TaskCounter } from "./readings.js";

export interface PublisherClients {
  sqs: SQSClient;
  ecs: ECSClient;
  cloudWatch: CloudWatchClient;
}

export interface PublisherOptions {
  clients: PublisherClients;
  clusterName: string;
  targets: readonly ScalingTarget[];
  namespace: string;
  acceptableMessagesPerTask: number;
  /** Every AWS call of a tick is aborted after this long, so a tick ends before the next is due. */
  callTimeoutMs: number;
  /** Local mode (no ECS, no CloudWatch): tasks are counted and datums kept by the local stack. */
  local?: LocalMode;
}

export interface LocalMode {
  countTasks: TaskCounter;
  /** Receives what PutMetricData would have received, per size. */
  record(at: Date, sizes: TickSummary["sizes"]): Promise<void>;
}

/** What one tick did; logged as one line. */
export interface TickSummary {
  at: string;
  durationMs: number;
  apiCalls: { getQueueAttributes: number; describeServices: number; putMetricData: number };
  /** Per published size: the readings and the metric sent. */
  sizes: Record<
    string,
    { visible: number; inFlight: number; running: number; desired: number; metric: number }
  >;
  /** Per size that published nothing this tick: why (autoscaling then holds its last decision). */
  skipped: Record<string, string>;
  /** Set when the datums were computed but CloudWatch refused them. */
  publishFailure?: string;
}

export class MetricPublisher {
  constructor(private readonly options: PublisherOptions) {}

  /** Reads every size, then publishes all datums in one PutMetricData call (more only past its limits). */
  async tick(at: Date): Promise<TickSummary> {
    const started = performance.now();
    const { clients, clusterName, targets, namespace, acceptableMessagesPerTask, callTimeoutMs } =
      this.options;
    const { outcomes, calls } = await readSizes(
      clients,
      clusterName,
      targets,
      AbortSignal.timeout(callTimeoutMs),
      this.options.local?.countTasks,
    );

    const summary: TickSummary = {
      at: at.toISOString(),
      durationMs: 0,
      apiCalls: { ...calls, putMetricData: 0 },
      sizes: {},
      skipped: {},
    };
    const datums = outcomes.flatMap((outcome) => {
      if ("failure" in outcome) {
        summary.skipped[outcome.size] = outcome.failure;
        return [];
      }
      const sizeDatums = datumsFor(outcome.reading, at, acceptableMessagesPerTask);
      const { visible, inFlight, running, desired } = outcome.reading;
      summary.sizes[outcome.size] = {
        visible,
        inFlight,
        running,
        desired,
        metric: sizeDatums[0]?.Value ?? Number.NaN,
      };
      return sizeDatums;
    });

    if (this.options.local) {
      await this.options.local.record(at, summary.sizes).catch((error: Error) => {
        summary.publishFailure = `${error.name}: ${error.message}`;
      });
      summary.durationMs = Math.round(performance.now() - started);
      return summary;
    }
    const batches = inBatches(datums);
    summary.apiCalls.putMetricData = batches.length;
    const signal = AbortSignal.timeout(callTimeoutMs);
    const results = await Promise.allSettled(
      batches.map((batch) =>
        clients.cloudWatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }), {
          abortSignal: signal,
        }),
      ),
    );
    const refused = results.find((result) => result.status === "rejected");
    if (refused) {
      const error = refused.reason as Error;
      summary.publishFailure = `${error.name}: ${error.message}`;
    }
    summary.durationMs = Math.round(performance.now() - started);
    return summary;
  }
}
