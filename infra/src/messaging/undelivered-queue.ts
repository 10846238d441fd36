import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/policy-document.js";
import { MAX_RETENTION_SECONDS, topicDeliveryStatements } from "./queue-policy.js";

export interface UndeliveredQueueArgs {
  /** Topics of this account whose subscriptions dead-letter here (SNS allows no other account's). */
  topicArns: pulumi.Input<string>[];
}

/**
 * Where SNS parks notifications of this account's topic it could not deliver to a size's queue
 * (for example while a queue policy was wrong), so that a failed delivery is kept for 14 days.
 */
export class UndeliveredQueue extends pulumi.ComponentResource {
  readonly queue: aws.sqs.Queue;

  constructor(name: string, args: UndeliveredQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:messaging:UndeliveredQueue", name, {}, opts);
    this.queue = new aws.sqs.Queue(
      name,
      { name, messageRetentionSeconds: MAX_RETENTION_SECONDS, sqsManagedSseEnabled: true },
      { parent: this },
    );
    new aws.sqs.QueuePolicy(
      `${name}-policy`,
      {
        queueUrl: this.queue.url,
        policy: policyJson(
          pulumi
            .all([this.queue.arn, pulumi.all(args.topicArns)])
            .apply(([queueArn, topicArns]) => topicDeliveryStatements(queueArn, topicArns)),
        ),
      },
      { parent: this },
    );
    this.registerOutputs({ url: this.queue.url });
  }
}
