/** Test support: a stack's outputs, mocked AWS clients and a captured terminal. */
import {
  DEFAULT_KEY_LAYOUT,
  deadLetterQueueName,
  defaultBucketName,
  operatorRoleName,
  RESIZER_SETTINGS,
  resizerServiceName,
  type StackOutputs,
  sizeQueueName,
  stackPrefix,
  uploadTopicName,
} from "@icon-fanout/config";
import { type Clients, createClients } from "./aws.js";
import type { Context } from "./commands.js";
import type { Output } from "./render.js";

const prod = stackPrefix("prod");
const sqsUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/222222222222/${name}`;

/** The prod stack's outputs, named as the program names its resources. */
export const OUTPUTS: StackOutputs = {
  bucketName: defaultBucketName(prod, "222222222222"),
  accessPointArn: `arn:aws:s3:eu-west-1:222222222222:accesspoint/${prod}-designers`,
  accessPointAlias: `${prod}-designers-abc123-s3alias`,
  operatorRoleArn: `arn:aws:iam::222222222222:role/${operatorRoleName(prod)}`,
  topicArn: `arn:aws:sns:eu-west-1:222222222222:${uploadTopicName(prod)}`,
  undeliveredQueueUrl: sqsUrl(`${prod}-undelivered`),
  sizes: [16, 32].map((size) => ({
    size,
    queueUrl: sqsUrl(sizeQueueName(prod, size)),
    deadLetterQueueUrl: sqsUrl(deadLetterQueueName(sizeQueueName(prod, size))),
    serviceName: resizerServiceName(prod, size),
  })),
  keyLayout: { ...DEFAULT_KEY_LAYOUT },
  clusterName: prod,
  alarmTopicArn: `arn:aws:sns:eu-west-1:222222222222:${prod}-alarms-1234567`,
  maxSourceBytes: RESIZER_SETTINGS.maxSourceBytes.default,
};

/** The clients iconctl builds; the tests mock each client class, so no credentials are read. */
export function testClients(): Clients {
  return createClients("eu-west-1");
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
