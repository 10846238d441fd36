import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DeliveryAlarmsArgs {
  topicName: pulumi.Input<string>;
  undeliveredQueueName: pulumi.Input<string>;
  alarmTopicArn: pulumi.Input<string>;
}

/** The fan-out itself failing: SNS could not deliver a notification to a size's queue. */
export class DeliveryAlarms extends pulumi.ComponentResource {
  constructor(name: string, args: DeliveryAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:monitoring:DeliveryAlarms", name, {}, opts);
    const common = {
      statistic: "Sum",
      period: 60,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [args.alarmTopicArn],
      okActions: [args.alarmTopicArn],
    };
    new aws.cloudwatch.MetricAlarm(
      `${name}-notifications-failed`,
      {
        alarmDescription: "SNS failed to deliver upload notifications (they wait in the undelivered queue)",
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        dimensions: { TopicName: args.topicName },
        ...common,
      },
      { parent: this },
    );
    new aws.cloudwatch.MetricAlarm(
      `${name}-undelivered`,
      {
        alarmDescription:
          "notifications are waiting in the undelivered queue; fix the queue policy, then redrive",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: args.undeliveredQueueName },
        ...common,
        statistic: "Maximum",
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
