import { describe, expect, it } from "vitest";
import { metricPublisherEnvironment, resizerEnvironment } from "./app-environments.js";
import { stackOutputsSchema } from "./stack-outputs.js";

/** Plain http is for a local emulator on this machine only; anything that leaves it must be https. */

const AWS_QUEUE = "https://sqs.eu-west-1.amazonaws.com/111111111111/icon-fanout-dev-size16";

function resizerEnv(queueUrl: string) {
  return {
    QUEUE_URL: queueUrl,
    DEAD_LETTER_QUEUE_URL: `${queueUrl}-dlq`,
    ICON_SIZE: "16",
    OUTPUT_BUCKET: "icon-fanout-dev-111111111111",
    SOURCE_BUCKETS: "icon-fanout-dev-111111111111",
  };
}

const LOOPBACK = [
  "http://127.0.0.1:4566/000000000000/icon-fanout-dev-size16",
  "http://127.255.0.9:80/000000000000/q",
  "http://localhost:4566/000000000000/q",
  "http://[::1]:4566/000000000000/q",
];
const REMOTE = [
  "http://sqs.eu-west-1.amazonaws.com/111111111111/q",
  "http://10.0.0.5:4566/000000000000/q",
  "http://128.0.0.1/000000000000/q",
  "http://127.0.0.1.example.com/000000000000/q",
  "http://sqs.eu-west-1.localhost:4566/000000000000/q",
  "http://localhost.example.com/000000000000/q",
];

describe("resizer queue URLs", () => {
  it.each([AWS_QUEUE, ...LOOPBACK])("accepts %s", (url) => {
    expect(resizerEnvironment.parse(resizerEnv(url)).queueUrl).toBe(url);
  });

  it.each(REMOTE)("refuses plain http to %s, naming the rule", (url) => {
    expect(() => resizerEnvironment.parse(resizerEnv(url))).toThrow(
      "QUEUE_URL: must be an https URL; http is allowed only for a loopback host (localhost, 127.0.0.0/8, [::1])",
    );
  });

  it("still refuses other protocols", () => {
    expect(() => resizerEnvironment.parse(resizerEnv("ftp://127.0.0.1/q"))).toThrow(
      'QUEUE_URL: must be an https URL (got "ftp://127.0.0.1/q")',
    );
  });
});

describe("publisher scaling targets and stack outputs", () => {
  const targets = (queueUrl: string) =>
    JSON.stringify([{ size: 16, queueUrl, serviceName: "icon-fanout-dev-resizer16" }]);
  const publisherEnv = (queueUrl: string) => ({
    CLUSTER_NAME: "icon-fanout-dev",
    SCALING_TARGETS: targets(queueUrl),
  });

  it("accepts a loopback http queue and refuses a remote one", () => {
    expect(metricPublisherEnvironment.parse(publisherEnv(LOOPBACK[0] as string)).scalingTargets).toHaveLength(
      1,
    );
    expect(() => metricPublisherEnvironment.parse(publisherEnv(REMOTE[1] as string))).toThrow(
      /SCALING_TARGETS: .*0\.queueUrl: must be an https URL; http is allowed only for a loopback host/,
    );
  });

  it("reads a local stack's outputs and refuses plain http anywhere else", () => {
    const outputs = (queueUrl: string) => ({
      bucketName: "b",
      accessPointArn: "b",
      accessPointAlias: "b",
      operatorRoleArn: "arn:aws:iam::000000000000:role/o",
      topicArn: "arn:aws:sns:eu-west-1:000000000000:t",
      undeliveredQueueUrl: queueUrl,
      sizes: [{ size: 16, queueUrl, deadLetterQueueUrl: queueUrl, serviceName: "s" }],
      keyLayout: { inputPrefix: "icons/", outputPrefix: "icons-size-" },
      clusterName: "c",
      alarmTopicArn: "arn:aws:sns:eu-west-1:000000000000:a",
      maxSourceBytes: 1024,
    });
    expect(stackOutputsSchema.safeParse(outputs(LOOPBACK[2] as string)).success).toBe(true);
    const refused = stackOutputsSchema.safeParse(outputs(REMOTE[0] as string));
    expect(refused.error?.issues[0]?.message).toBe(
      "must be an https URL; http is allowed only for a loopback host (localhost, 127.0.0.0/8, [::1])",
    );
  });
});
