import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  accountRoot,
  denyInsecureTransport,
  type PolicyStatement,
  policyJson,
} from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

export interface UploadTopicArgs {
  /** Physical topic name, e.g. `icon-fanout-prod-uploads`. Fixed so other stacks can name it. */
  topicName: string;
  placement: Placement;
  /** The bucket whose uploads and removals are announced. */
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** Only keys under this prefix are announced. */
  inputPrefix: string;
  /**
   * Accounts whose SQS queues (and nothing else) may subscribe, for shadow traffic.
   * @default []
   */
  allowSubscribers?: string[];
  /** Resources the notification must wait for, e.g. the bucket policy. */
  notificationDependsOn?: pulumi.Input<pulumi.Resource>[];
}

export const NOTIFIED_EVENTS = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"];

/**
 * The fan-out point: S3 announces every upload and removal under the input prefix to one topic,
 * and every size's queue subscribes to it. S3 validates the destination when the notification is
 * written, so the notification is created after the topic policy that lets S3 publish.
 */
export class UploadTopic extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  readonly policy: aws.sns.TopicPolicy;

  constructor(name: string, args: UploadTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:messaging:UploadTopic", name, {}, opts);
    const topic = new aws.sns.Topic(name, { name: args.topicName }, { parent: this });
    this.arn = topic.arn;
    this.name = topic.name;

    this.policy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: policyJson(
          pulumi
            .all([topic.arn, args.bucketArn])
            .apply(([topicArn, bucketArn]) => topicStatements(topicArn, bucketArn, args)),
        ),
      },
      { parent: this },
    );

    new aws.s3.BucketNotification(
      `${name}-notification`,
      {
        bucket: args.bucketName,
        topics: [
          {
            id: "icon-uploads",
            topicArn: topic.arn,
            events: NOTIFIED_EVENTS,
            filterPrefix: args.inputPrefix,
          },
        ],
      },
      { parent: this, dependsOn: [this.policy, ...(args.notificationDependsOn ?? [])] },
    );
    this.registerOutputs({ arn: this.arn });
  }
}

/** One policy for the topic: S3 of this bucket publishes, TLS only, listed accounts subscribe SQS queues. */
export function topicStatements(
  topicArn: string,
  bucketArn: string,
  args: UploadTopicArgs,
): PolicyStatement[] {
  const { accountId } = args.placement;
  const statements: PolicyStatement[] = [
    {
      Sid: "BucketPublishesUploads",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnEquals: { "aws:SourceArn": bucketArn },
      },
    },
    denyInsecureTransport(["sns:Publish", "sns:Subscribe"], topicArn),
  ];
  statements.push(...queueSubscriberStatements(topicArn, args.placement, args.allowSubscribers ?? []));
  return statements;
}

/** Each listed account may subscribe its own SQS queues in the topic's region, and nothing else. */
export function queueSubscriberStatements(
  topicArn: string,
  { region, partition }: Placement,
  accounts: readonly string[],
): PolicyStatement[] {
  return accounts.map((subscriber) => ({
    Sid: `Account${subscriber}SubscribesQueues`,
    Effect: "Allow",
    Principal: { AWS: accountRoot(partition, subscriber) },
    Action: "sns:Subscribe",
    Resource: topicArn,
    Condition: {
      StringEquals: { "sns:Protocol": "sqs" },
      ArnLike: { "sns:Endpoint": `arn:${partition}:sqs:${region}:${subscriber}:*` },
    },
  }));
}
