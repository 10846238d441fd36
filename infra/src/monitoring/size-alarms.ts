import { ICON_SIZE_DIMENSION, iconSizeDimension, METRIC_NAMES, METRIC_NAMESPACE } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface SizeAlarmsArgs {
  size: number;
  queueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
  oldestMessageAgeSeconds: number;
}

/**
 * What an on-call engineer is woken for, per size: icons waiting for a person (DLQ not empty),
 * icons waiting too long, icons waiting with no task to work on them, and the scaling metric gone
 * (the publisher is down, so scaling is blind).
 */
export class SizeAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: SizeAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:monitoring:SizeAlarms", name, {}, opts);
    const parent = { parent: this };
    const actions = { alarmActions: [args.alarmTopicArn], okActions: [args.alarmTopicArn] };
    const sizeDimension = { [ICON_SIZE_DIMENSION]: iconSizeDimension(args.size) };
    const ours = (metricName: string) => ({
      namespace: METRIC_NAMESPACE,
      metricName,
      dimensions: sizeDimension,
    });

    new aws.cloudwatch.MetricAlarm(
      `${name}-dead-letters`,
      {
        alarmDescription: `size ${args.size}: messages in the dead-letter queue need a person (iconctl dlq list)`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.deadLetterQueueName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
      },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-oldest-message`,
      {
        alarmDescription: `size ${args.size}: the oldest message has waited more than ${args.oldestMessageAgeSeconds} s`,
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: args.queueName },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 3,
        threshold: args.oldestMessageAgeSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        ...actions,
      },
      parent,
    );
    const waiting = new aws.cloudwatch.MetricAlarm(
      `${name}-messages-waiting`,
      {
        alarmDescription: `size ${args.size}: messages are waiting`,
        ...ours(METRIC_NAMES.backlogVisible),
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 5,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      },
      parent,
    );
    const noTasks = new aws.cloudwatch.MetricAlarm(
      `${name}-no-tasks`,
      {
        alarmDescription: `size ${args.size}: no task is running`,
        ...ours(METRIC_NAMES.runningTasks),
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "notBreaching",
      },
      parent,
    );
    new aws.cloudwatch.CompositeAlarm(
      `${name}-waiting-without-tasks`,
      {
        alarmName: pulumi.interpolate`${name}-waiting-without-tasks`,
        alarmDescription: `size ${args.size}: messages have waited 5 minutes with no task running (scaling from zero failed?)`,
        alarmRule: pulumi.interpolate`ALARM("${waiting.name}") AND ALARM("${noTasks.name}")`,
        ...actions,
      },
      parent,
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-scaling-metric-missing`,
      {
        alarmDescription: `size ${args.size}: no scaling metric for a minute; the metric publisher is down and scaling is blind`,
        ...ours(METRIC_NAMES.scaling),
        statistic: "SampleCount",
        period: 60,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "breaching",
        ...actions,
      },
      parent,
    );
    this.registerOutputs({});
  }
}
