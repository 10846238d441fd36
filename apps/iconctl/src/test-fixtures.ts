/** Test support: a stack's outputs, mocked AWS clients and a captured terminal. */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ECSClient } from "@aws-sdk/client-ecs";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { STSClient } from "@aws-sdk/client-sts";
import type { StackOutputs } from "@icon-fanout/config";
import type { Clients } from "./aws.js";
import type { Context } from "./commands.js";
import type { Output } from "./render.js";

const sqsUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/222222222222/${name}`;

export const OUTPUTS: StackOutputs = {
  bucketName: "icon-fanout-prod-222222222222",
  accessPointArn: "arn:aws:s3:eu-west-1:222222222222:accesspoint/icon-fanout-prod-designers",
  accessPointAlias: "icon-fanout-prod-designers-abc123-s3alias",
  topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
  undeliveredQueueUrl: sqsUrl("icon-fanout-prod-undelivered"),
  sizes: [16, 32].map((size) => ({
    size,
    queueUrl: sqsUrl(`icon-fanout-prod-size${size}`),
    deadLetterQueueUrl: sqsUrl(`icon-fanout-prod-size${size}-dlq`),
    serviceName: `icon-fanout-prod-resizer${size}`,
  })),
  clusterName: "icon-fanout-prod",
  alarmTopicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-alarms-1234567",
};

export function testClients(): Clients {
  const settings = { region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  return {
    s3: new S3Client(settings),
    sqs: new SQSClient(settings),
    ecs: new ECSClient(settings),
    cloudWatch: new CloudWatchClient(settings),
    sts: new STSClient(settings),
  };
}

export function terminal(tty: boolean): Output & { text: () => string } {
  let written = "";
  return {
    tty,
    write: (chunk) => {
      written += chunk;
    },
    text: () => written,
  };
}

export function contextWith(out: Output, cwd = process.cwd()): Context {
  return { stack: "prod", outputs: OUTPUTS, clients: testClients(), out, cwd, accountId: "222222222222" };
}
