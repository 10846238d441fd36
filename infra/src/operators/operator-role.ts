import { type KeyLayout, outputPrefixFor } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { createPeopleRole } from "../iam/people-role.js";
import type { PolicyStatement } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

/** One size as the operators see it: the queue they fill and watch, and the service they watch. */
export interface OperatedSize {
  size: number;
  queueArn: string;
  deadLetterQueueArn: string;
  serviceArn: string;
}

export interface OperatorRoleArgs {
  /** Physical name, fixed so that operators' profiles can name it before the deploy. */
  roleName: string;
  placement: Placement;
  /**
   * ARN patterns of this account's roles and users that may assume the role. Empty: any principal
   * of this account whose own identity policies allow it to.
   */
  assumableBy: string[];
  bucketArn: pulumi.Input<string>;
  keys: KeyLayout;
  sizes: pulumi.Input<OperatedSize[]>;
  /** The topic alarms go to, whose subscriptions `iconctl status` reads (an email one may await confirmation). */
  alarmTopicArn: pulumi.Input<string>;
}

/**
 * The role operators assume for `iconctl backfill` and `iconctl status`: list the icon prefixes,
 * read outputs' metadata, send to the size queues, read queue depths, services, metrics and the
 * alarm topic's subscriptions.
 * Nothing that changes an object, takes a message or touches a dead-letter queue's contents.
 */
export class OperatorRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: OperatorRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:operators:OperatorRole", name, {}, opts);
    const role = createPeopleRole(
      name,
      {
        roleName: args.roleName,
        description: "Operators backfill icon sizes and watch the fan-out (iconctl backfill, iconctl status)",
        placement: args.placement,
        assumableBy: args.assumableBy,
        trustSid: "OperatorsOfThisAccount",
        statements: pulumi
          .all([args.bucketArn, args.sizes, args.alarmTopicArn])
          .apply(([bucketArn, sizes, alarmTopicArn]) =>
            operatorStatements({ bucketArn, keys: args.keys, sizes, alarmTopicArn }),
          ),
      },
      this,
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}

/** What backfill and status need, on this stack's bucket, queues and services only. */
export function operatorStatements(args: {
  bucketArn: string;
  keys: KeyLayout;
  sizes: OperatedSize[];
  alarmTopicArn: string;
}): PolicyStatement[] {
  const outputPrefixes = args.sizes.map(({ size }) => outputPrefixFor(size, args.keys));
  return [
    {
      Sid: "ListIconPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: args.bucketArn,
      Condition: {
        StringLike: { "s3:prefix": [args.keys.inputPrefix, ...outputPrefixes].map((prefix) => `${prefix}*`) },
      },
    },
    {
      // HEAD needs GetObject: backfill reads which source version and render version made an output.
      Sid: "ReadOutputMetadata",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: outputPrefixes.map((prefix) => `${args.bucketArn}/${prefix}*`),
    },
    {
      Sid: "EnqueueToSizeQueues",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: args.sizes.map((size) => size.queueArn),
    },
    {
      Sid: "ReadQueueDepths",
      Effect: "Allow",
      Action: "sqs:GetQueueAttributes",
      Resource: args.sizes.flatMap((size) => [size.queueArn, size.deadLetterQueueArn]),
    },
    {
      Sid: "ReadResizerServices",
      Effect: "Allow",
      Action: "ecs:DescribeServices",
      Resource: args.sizes.map((size) => size.serviceArn),
    },
    {
      Sid: "ReadAlarmSubscriptions",
      Effect: "Allow",
      Action: "sns:ListSubscriptionsByTopic",
      Resource: args.alarmTopicArn,
    },
    // GetMetricData has no resource type: AWS requires "*".
    { Sid: "ReadMetrics", Effect: "Allow", Action: "cloudwatch:GetMetricData", Resource: "*" },
  ];
}
