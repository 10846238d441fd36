import { z } from "zod";
import { enumVar, intVar, jsonVar, listVar, stringVar, urlVar, withDefault } from "./env-variables.js";
import { defineEnvironment } from "./environment.js";
import { DEFAULT_KEY_LAYOUT } from "./keys.js";
import { METRIC_NAMESPACE, METRIC_PERIOD_SECONDS } from "./metrics.js";
import { type IntSetting, RESIZER_SETTINGS, SCALING_SETTINGS } from "./settings.js";
import { SNS_TOPIC_ARN, serviceUrl } from "./validators.js";

const BUCKET = { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, description: "an S3 bucket name" };
const PREFIX = { pattern: /^[A-Za-z0-9!_.*'()/-]+$/, description: "a key prefix" };
const TOPIC_ARN = { pattern: SNS_TOPIC_ARN, description: "an SNS topic ARN" };
const NAME = { pattern: /^[A-Za-z0-9_/.:-]{1,255}$/, description: "an AWS resource name or ARN" };

const logLevel = withDefault(enumVar("LOG_LEVEL", ["debug", "info", "warn", "error"]), "info");

const settingVar = (name: string, { min, max, default: value }: IntSetting) =>
  withDefault(intVar(name, min, max), value);

/** What the resizer container of one size reads (apps/resizer). */
export const resizerEnvironment = defineEnvironment({
  queueUrl: urlVar("QUEUE_URL"),
  deadLetterQueueUrl: urlVar("DEAD_LETTER_QUEUE_URL"),
  /** The stack's name, e.g. `prod`, as results events report it. */
  stack: stringVar("STACK", { pattern: /^[A-Za-z0-9_.-]{1,100}$/, description: "a Pulumi stack name" }),
  /** The stack's results topic; no default, so the encoder cannot leave it out. */
  resultsTopicArn: stringVar("RESULTS_TOPIC_ARN", TOPIC_ARN),
  iconSize: intVar("ICON_SIZE", 1, 4096),
  outputBucket: stringVar("OUTPUT_BUCKET", BUCKET),
  /** Buckets whose events the worker accepts: its own and, on a shadowing stack, the source stack's. */
  sourceBuckets: listVar("SOURCE_BUCKETS", stringVar("SOURCE_BUCKETS", BUCKET)),
  inputPrefix: withDefault(stringVar("INPUT_PREFIX", PREFIX), DEFAULT_KEY_LAYOUT.inputPrefix),
  outputPrefix: withDefault(stringVar("OUTPUT_PREFIX", PREFIX), DEFAULT_KEY_LAYOUT.outputPrefix),
  concurrency: settingVar("CONCURRENCY", RESIZER_SETTINGS.concurrency),
  visibilityTimeoutSeconds: settingVar(
    "VISIBILITY_TIMEOUT_SECONDS",
    RESIZER_SETTINGS.visibilityTimeoutSeconds,
  ),
  /** The queue's redrive maxReceiveCount: a transient failure on that receive is the last (a `gave-up` event). */
  maxReceiveCount: settingVar("MAX_RECEIVE_COUNT", RESIZER_SETTINGS.maxReceiveCount),
  maxSourceBytes: settingVar("MAX_SOURCE_BYTES", RESIZER_SETTINGS.maxSourceBytes),
  drainSeconds: settingVar("DRAIN_SECONDS", RESIZER_SETTINGS.drainSeconds),
  logLevel,
});

const scalingTargetSchema = z.strictObject({
  size: z.int().min(1).max(4096),
  queueUrl: serviceUrl(),
  serviceName: z.string().regex(NAME.pattern),
});

export type ScalingTarget = z.output<typeof scalingTargetSchema>;

/** The publisher's tick in seconds (default the metric's 10 s period); `pnpm local --autoscale` shortens it with the policy minute. */
export const TICK_SECONDS_VARIABLE = "TICK_SECONDS";

/** What the metric publisher reads (apps/metric-publisher). */
export const metricPublisherEnvironment = defineEnvironment({
  clusterName: stringVar("CLUSTER_NAME", NAME),
  /** One entry per size: the queue it drains and the service that drains it. */
  scalingTargets: jsonVar(
    "SCALING_TARGETS",
    z
      .array(scalingTargetSchema)
      .min(1)
      .refine((targets) => new Set(targets.map((t) => t.size)).size === targets.length, {
        error: "sizes must be distinct",
      }),
    'a list of {"size", "queueUrl", "serviceName"} objects',
  ),
  metricNamespace: withDefault(stringVar("METRIC_NAMESPACE", NAME), METRIC_NAMESPACE),
  acceptableMessagesPerTask: settingVar(
    "ACCEPTABLE_MESSAGES_PER_TASK",
    SCALING_SETTINGS.acceptableMessagesPerTask,
  ),
  tickSeconds: withDefault(intVar(TICK_SECONDS_VARIABLE, 1, 60), METRIC_PERIOD_SECONDS),
  logLevel,
});
