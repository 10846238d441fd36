import { deadLetterQueueName } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyJson } from "../iam/policy-document.js";
import { MAX_RETENTION_SECONDS, topicDeliveryStatements } from "./queue-policy.js";

export interface TopicSource {
  /** Short label used in child names, e.g. `uploads` or `shadow`. */
  label: string;
  topicArn: pulumi.Input<string>;
  /**
   * Where SNS puts notifications it could not deliver. SNS requires this queue in the
   * subscription's account (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html),
   * which for a subscription to another account's topic is that account: such sources have none.
   */
  undeliveredQueueArn?: pulumi.Input<string>;
}

export interface SizeQueueArgs {
  /** The icon size whose work this queue holds. */
  size: number;
  /** Topics this queue subscribes to: this stack's own, then any it shadows. */
  sources: TopicSource[];
  /** Seconds a received message stays hidden; the resizer extends it for long work. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: number;
  /**
   * Seconds SQS keeps an unprocessed message.
   * @default 345600 (4 days)
   */
  retentionSeconds?: number;
}

/**
 * The work queue of one size, with its dead-letter queue and its subscriptions. The DLQ keeps
 * messages for the 14-day maximum, longer than the source queue, because a moved message keeps
 * its original enqueue time.
 */
export class SizeQueue extends pulumi.ComponentResource {
  /** The icon size whose work this queue holds. */
  readonly size: number;
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly subscriptions: aws.sns.TopicSubscription[];

  constructor(name: string, args: SizeQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:messaging:SizeQueue", name, {}, opts);
    this.size = args.size;
    const retention = args.retentionSeconds ?? 4 * 24 * 3600;
    if (retention >= MAX_RETENTION_SECONDS) {
      throw new Error(
        `${name}: retentionSeconds must stay below ${MAX_RETENTION_SECONDS}, the dead-letter queue's`,
      );
    }
    if (args.sources.length === 0) throw new Error(`${name}: at least one topic source is required`);
    const parent = { parent: this };

    const deadLetterName = deadLetterQueueName(name);
    this.deadLetterQueue = new aws.sqs.Queue(
      deadLetterName,
      { name: deadLetterName, messageRetentionSeconds: MAX_RETENTION_SECONDS, sqsManagedSseEnabled: true },
      parent,
    );
    this.queue = new aws.sqs.Queue(
      name,
      {
        name,
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
        messageRetentionSeconds: retention,
        receiveWaitTimeSeconds: 20,
        sqsManagedSseEnabled: true,
        redrivePolicy: this.deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: args.maxReceiveCount }),
        ),
      },
      parent,
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: this.queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
      },
      parent,
    );
    const policy = new aws.sqs.QueuePolicy(
      `${name}-policy`,
      {
        queueUrl: this.queue.url,
        policy: policyJson(
          pulumi
            .all([this.queue.arn, pulumi.all(args.sources.map((source) => source.topicArn))])
            .apply(([queueArn, topicArns]) => topicDeliveryStatements(queueArn, topicArns)),
        ),
      },
      parent,
    );
    this.subscriptions = args.sources.map(
      (source) =>
        new aws.sns.TopicSubscription(
          `${name}-from-${source.label}`,
          {
            topic: source.topicArn,
            protocol: "sqs",
            endpoint: this.queue.arn,
            rawMessageDelivery: true,
            ...(source.undeliveredQueueArn
              ? {
                  redrivePolicy: pulumi
                    .output(source.undeliveredQueueArn)
                    .apply((deadLetterTargetArn) => JSON.stringify({ deadLetterTargetArn })),
                }
              : {}),
          },
          // The queue policy must admit the topic before the first delivery.
          { parent: this, dependsOn: [policy] },
        ),
    );
    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url });
  }
}
