import { type KeyLayout, METRIC_NAMESPACE, outputPrefixFor } from "@icon-fanout/config";
import type { PolicyStatement } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

/**
 * Who may assume a task role: ECS tasks of this account and region only. AWS recommends these
 * source keys for task roles (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
 */
export function ecsTasksTrust({ accountId, region, partition }: Placement): PolicyStatement[] {
  return [
    {
      Sid: "EcsTasksOfThisAccount",
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: {
        StringEquals: { "aws:SourceAccount": accountId },
        ArnLike: { "aws:SourceArn": `arn:${partition}:ecs:${region}:${accountId}:*` },
      },
    },
  ];
}

/**
 * Who may assume an execution role: ECS, as its documentation writes the trust
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html), without
 * source keys it does not document sending for its agents; see docs/aws-behaviour.md. The role
 * may only pull one image and write one log group (the policy pack holds it to that).
 */
export function ecsExecutionTrust(): PolicyStatement[] {
  return [
    {
      Sid: "EcsAgentsStartTasks",
      Effect: "Allow",
      Principal: { Service: "ecs-tasks.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ];
}

/** What ECS needs to start a task: pull its image, write its logs. */
export function executionStatements(repositoryArn: string, logGroupArn: string): PolicyStatement[] {
  return [
    // GetAuthorizationToken has no resource type: AWS requires "*".
    { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullOwnImage",
      Effect: "Allow",
      Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: repositoryArn,
    },
    {
      Sid: "WriteOwnLogs",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${logGroupArn}:*`,
    },
  ];
}

export interface ResizerPolicyArgs {
  size: number;
  keys: KeyLayout;
  bucketArn: string;
  /** A shadowed stack's bucket name, read for its sources only. */
  shadowBucketName?: string;
  queueArn: string;
  deadLetterQueueArn: string;
  /** This stack's results topic, the only topic the resizer publishes to. */
  resultsTopicArn: string;
  clusterName: string;
  placement: Placement;
}

/**
 * The resizer of one size: read sources (its own bucket's and a shadowed one's), write and delete
 * its own size's outputs only, work its own queue, send to its own dead-letter queue, publish to
 * its own stack's results topic, and switch its own task's scale-in protection.
 */
export function resizerStatements(args: ResizerPolicyArgs): PolicyStatement[] {
  const { partition, region, accountId } = args.placement;
  const sources = [`${args.bucketArn}/${args.keys.inputPrefix}*`];
  if (args.shadowBucketName)
    sources.push(`arn:${partition}:s3:::${args.shadowBucketName}/${args.keys.inputPrefix}*`);
  return [
    { Sid: "ReadSources", Effect: "Allow", Action: "s3:GetObject", Resource: sources },
    // Listing lets S3 answer 404 (not 403) for a source deleted since its event.
    { Sid: "ListOwnBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: args.bucketArn },
    {
      Sid: "WriteOwnSizeOutputs",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${args.bucketArn}/${outputPrefixFor(args.size, args.keys)}*`,
    },
    {
      Sid: "WorkOwnQueue",
      Effect: "Allow",
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
      Resource: args.queueArn,
    },
    {
      Sid: "DeadLetterInvalidImages",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: args.deadLetterQueueArn,
    },
    { Sid: "PublishOwnResults", Effect: "Allow", Action: "sns:Publish", Resource: args.resultsTopicArn },
    {
      Sid: "OwnScaleInProtection",
      Effect: "Allow",
      Action: ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"],
      Resource: `arn:${partition}:ecs:${region}:${accountId}:task/${args.clusterName}/*`,
    },
  ];
}

/** The metric publisher: read queue depths and service task counts, publish in its namespace only. */
export function publisherStatements(queueArns: string[], serviceArns: string[]): PolicyStatement[] {
  return [
    { Sid: "ReadQueueDepths", Effect: "Allow", Action: "sqs:GetQueueAttributes", Resource: queueArns },
    { Sid: "ReadRunningTasks", Effect: "Allow", Action: "ecs:DescribeServices", Resource: serviceArns },
    {
      // PutMetricData has no resource type: AWS requires "*", narrowed by namespace.
      Sid: "PublishScalingMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": METRIC_NAMESPACE } },
    },
  ];
}
