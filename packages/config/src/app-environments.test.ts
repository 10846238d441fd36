import { describe, expect, it } from "vitest";
import { metricPublisherEnvironment, resizerEnvironment } from "./app-environments.js";
import { EnvironmentError } from "./environment.js";
import { resizerServiceName, resultsTopicName, sizeQueueName, stackPrefix } from "./names.js";
import { RESIZER_SETTINGS, SCALING_SETTINGS } from "./settings.js";

const dev = stackPrefix("dev");
const queueUrlOf = (size: number) =>
  `https://sqs.eu-west-1.amazonaws.com/111111111111/${sizeQueueName(dev, size)}`;
const queueUrl = queueUrlOf(16);

describe("resizerEnvironment", () => {
  const values = {
    queueUrl,
    deadLetterQueueUrl: `${queueUrl}-dlq`,
    stack: "dev",
    resultsTopicArn: `arn:aws:sns:eu-west-1:111111111111:${resultsTopicName(dev)}`,
    iconSize: 16,
    outputBucket: "icon-fanout-dev-111111111111",
    sourceBuckets: ["icon-fanout-dev-111111111111", "icon-fanout-prod-222222222222"],
    concurrency: 8,
  };

  it("round-trips through a container environment, with defaults for what infra leaves out", () => {
    const container = resizerEnvironment.toContainerEnvironment(values);
    expect(container.map((entry) => entry.name)).toEqual([
      "CONCURRENCY",
      "DEAD_LETTER_QUEUE_URL",
      "ICON_SIZE",
      "OUTPUT_BUCKET",
      "QUEUE_URL",
      "RESULTS_TOPIC_ARN",
      "SOURCE_BUCKETS",
      "STACK",
    ]);
    const env = Object.fromEntries(container.map(({ name, value }) => [name, value]));
    expect(resizerEnvironment.parse(env)).toEqual({
      ...values,
      inputPrefix: "icons/",
      outputPrefix: "icons-size-",
      visibilityTimeoutSeconds: RESIZER_SETTINGS.visibilityTimeoutSeconds.default,
      maxReceiveCount: RESIZER_SETTINGS.maxReceiveCount.default,
      maxSourceBytes: RESIZER_SETTINGS.maxSourceBytes.default,
      drainSeconds: RESIZER_SETTINGS.drainSeconds.default,
      logLevel: "info",
    });
  });

  it("names every missing and malformed variable", () => {
    let error: unknown;
    try {
      resizerEnvironment.parse({
        QUEUE_URL: "sqs://nope",
        ICON_SIZE: "sixteen",
        SOURCE_BUCKETS: "a-b-c,,x",
        CONCURRENCY: "0",
        RESULTS_TOPIC_ARN: "arn:aws:sqs:eu-west-1:111111111111:not-a-topic",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).problems).toEqual([
      'QUEUE_URL: must be an https URL (got "sqs://nope")',
      "DEAD_LETTER_QUEUE_URL: is required",
      "STACK: is required",
      'RESULTS_TOPIC_ARN: must be an SNS topic ARN (got "arn:aws:sqs:eu-west-1:111111111111:not-a-topic")',
      'ICON_SIZE: must be an integer between 1 and 4096 (got "sixteen")',
      "OUTPUT_BUCKET: is required",
      'SOURCE_BUCKETS: must be a comma-separated list without empty items (got "a-b-c,,x")',
      'CONCURRENCY: must be an integer between 1 and 128 (got "0")',
    ]);
  });

  it("lists its variable names once, sorted", () => {
    expect(resizerEnvironment.names).toContain("QUEUE_URL");
    expect(new Set(resizerEnvironment.names).size).toBe(resizerEnvironment.names.length);
  });
});

describe("metricPublisherEnvironment", () => {
  const targets = [16, 32].map((size) => ({
    size,
    queueUrl: queueUrlOf(size),
    serviceName: resizerServiceName(dev, size),
  }));

  it("carries every size's queue and service as one JSON variable", () => {
    const container = metricPublisherEnvironment.toContainerEnvironment({
      clusterName: dev,
      scalingTargets: targets,
    });
    const env = Object.fromEntries(container.map(({ name, value }) => [name, value]));
    expect(metricPublisherEnvironment.parse(env)).toEqual({
      clusterName: dev,
      scalingTargets: targets,
      metricNamespace: "Service/ImageResize",
      acceptableMessagesPerTask: SCALING_SETTINGS.acceptableMessagesPerTask.default,
      tickSeconds: 10,
      logLevel: "info",
    });
  });

  it.each([
    ["not JSON", "[{", /SCALING_TARGETS: must be JSON/],
    ["empty", "[]", /SCALING_TARGETS: must be a list of .*expected at least 1|Too small/],
    ["duplicate sizes", JSON.stringify([targets[0], targets[0]]), /sizes must be distinct/],
    [
      "a plain-http queue URL",
      JSON.stringify([{ ...targets[0], queueUrl: "http://x" }]),
      /SCALING_TARGETS: .*0\.queueUrl/,
    ],
  ])("refuses SCALING_TARGETS that is %s", (_name, raw, message) => {
    expect(() => metricPublisherEnvironment.parse({ CLUSTER_NAME: "c", SCALING_TARGETS: raw })).toThrow(
      message,
    );
  });
});
