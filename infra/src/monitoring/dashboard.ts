import { ICON_SIZE_DIMENSION, iconSizeDimension, METRIC_NAMES, METRIC_NAMESPACE } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DashboardSize {
  size: number;
  queueName: pulumi.Input<string>;
  deadLetterQueueName: pulumi.Input<string>;
}

export interface DashboardArgs {
  region: string;
  topicName: pulumi.Input<string>;
  targetValue: number;
  sizes: DashboardSize[];
}

type Widget = Record<string, unknown>;

/**
 * One dashboard per stack: a row per size (backlog and in-flight, running tasks, the scaling
 * metric against its target, oldest message age, dead letters) and the topic's deliveries.
 */
export class Dashboard extends pulumi.ComponentResource {
  constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:monitoring:Dashboard", name, {}, opts);
    const body = pulumi
      .all([
        args.topicName,
        pulumi.all(args.sizes.map((size) => pulumi.all([size.queueName, size.deadLetterQueueName]))),
      ])
      .apply(([topicName, queues]) => {
        const widgets: Widget[] = [];
        args.sizes.forEach((size, row) => {
          const [queueName, deadLetterQueueName] = queues[row] ?? ["", ""];
          widgets.push(...sizeRow(size.size, queueName, deadLetterQueueName, row, args));
        });
        widgets.push(
          graph(
            "Upload topic: notifications delivered and failed",
            [
              ["AWS/SNS", "NumberOfNotificationsDelivered", "TopicName", topicName, { stat: "Sum" }],
              ["AWS/SNS", "NumberOfNotificationsFailed", "TopicName", topicName, { stat: "Sum" }],
            ],
            { x: 0, y: args.sizes.length * 6, width: 24 },
            args.region,
            60,
          ),
        );
        return JSON.stringify({ widgets });
      });
    new aws.cloudwatch.Dashboard(name, { dashboardName: name, dashboardBody: body }, { parent: this });
    this.registerOutputs({});
  }
}

function sizeRow(
  size: number,
  queueName: string,
  deadLetterQueueName: string,
  row: number,
  args: DashboardArgs,
): Widget[] {
  const dimension = [ICON_SIZE_DIMENSION, iconSizeDimension(size)];
  const ours = (metric: string, stat = "Average") => [
    METRIC_NAMESPACE,
    metric,
    ...dimension,
    { stat, period: 10 },
  ];
  const y = row * 6;
  return [
    graph(
      `size ${size}: backlog and in flight`,
      [ours(METRIC_NAMES.backlogVisible, "Maximum"), ours(METRIC_NAMES.backlogInFlight, "Maximum")],
      { x: 0, y, width: 6 },
      args.region,
      10,
    ),
    graph(
      `size ${size}: running tasks`,
      [ours(METRIC_NAMES.runningTasks, "Maximum")],
      { x: 6, y, width: 4 },
      args.region,
      10,
    ),
    graph(
      `size ${size}: scaling metric (target ${args.targetValue})`,
      [ours(METRIC_NAMES.scaling)],
      { x: 10, y, width: 6 },
      args.region,
      10,
      {
        annotations: { horizontal: [{ label: "target", value: args.targetValue }] },
        yAxis: { left: { min: 0, max: 500 } },
      },
    ),
    graph(
      `size ${size}: oldest message (s)`,
      [["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queueName, { stat: "Maximum" }]],
      { x: 16, y, width: 4 },
      args.region,
      60,
    ),
    graph(
      `size ${size}: dead letters`,
      [
        [
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          "QueueName",
          deadLetterQueueName,
          { stat: "Maximum" },
        ],
      ],
      { x: 20, y, width: 4 },
      args.region,
      60,
    ),
  ];
}

function graph(
  title: string,
  metrics: unknown[][],
  at: { x: number; y: number; width: number },
  region: string,
  period: number,
  extra: Widget = {},
): Widget {
  return {
    type: "metric",
    x: at.x,
    y: at.y,
    width: at.width,
    height: 6,
    properties: { title, region, metrics, period, view: "timeSeries", stacked: false, ...extra },
  };
}
