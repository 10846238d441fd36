import { z } from "zod";
import { enumVar, intVar, jsonVar, listVar, stringVar, urlVar, withDefault } from "./env-variables.js";
import { defineEnvironment } from "./environment.js";
import { DEFAULT_KEY_LAYOUT } from "./keys.js";
import { METRIC_NAMESPACE, METRIC_PERIOD_SECONDS } from "./metrics.js";
import { serviceUrl } from "./validators.js";

const BUCKET = { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, description: "an S3 bucket name" };
const PREFIX = { pattern: /^[A-Za-z0-9!_.*'()/-]+$/, description: "a key prefix" };
const NAME = { pattern: /^[A-Za-z0-9_/.:-]{1,255}$/, description: "an AWS resource name or ARN" };

const logLevel = withDefault(enumVar("LOG_LEVEL", ["debug", "info", "warn", "error"]), "info");

/** What the resizer container of one size reads (apps/resizer). */
export const resizerEnvironment = defineEnvironment({
  queueUrl: urlVar("QUEUE_URL"),
  deadLetterQueueUrl: urlVar("DEAD_LETTER_QUEUE_URL"),
  iconSize: intVar("ICON_SIZE", 1, 4096),
  outputBucket: stringVar("OUTPUT_BUCKET", BUCKET),
  /** Buckets whose events the worker accepts: its own and, on a shadowing stack, the source stack's. */
  sourceBuckets: listVar("SOURCE_BUCKETS", stringVar("SOURCE_BUCKETS", BUCKET)),
  inputPrefix: withDefault(stringVar("INPUT_PREFIX", PREFIX), DEFAULT_KEY_LAYOUT.inputPrefix),
  outputPrefix: withDefault(stringVar("OUTPUT_PREFIX", PREFIX), DEFAULT_KEY_LAYOUT.outputPrefix),
  concurrency: withDefault(intVar("CONCURRENCY", 1, 128), 32),
  visibilityTimeoutSeconds: withDefault(intVar("VISIBILITY_TIMEOUT_SECONDS", 10, 43200), 60),
  maxSourceBytes: withDefault(intVar("MAX_SOURCE_BYTES", 1024, 100 * 1024 * 1024), 10 * 1024 * 1024),
  /** Seconds SIGTERM leaves in-flight work to finish; below the container's stop timeout. */
  drainSeconds: withDefault(intVar("DRAIN_SECONDS", 1, 110), 90),
  logLevel,
});

const scalingTargetSchema = z.strictObject({
  size: z.int().min(1).max(4096),
  queueUrl: serviceUrl(),
  serviceName: z.string().regex(NAME.pattern),
});

export type ScalingTarget = z.output<typeof scalingTargetSchema>;

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
  acceptableMessagesPerTask: withDefault(intVar("ACCEPTABLE_MESSAGES_PER_TASK", 1, 10000), 5),
  tickSeconds: withDefault(intVar("TICK_SECONDS", 1, 60), METRIC_PERIOD_SECONDS),
  logLevel,
});
