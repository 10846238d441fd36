import { describe, expect, it } from "vitest";
import { planStack, type SynthResource } from "./stack-plan.js";

const account = "111111111111";
const queueUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/${account}/${name}`;
const arn = (service: string, name: string) => `arn:aws:${service}:eu-west-1:${account}:${name}`;
const outputs = {
  bucketName: "app-bucket",
  accessPointArn: "arn:aws:s3:eu-west-1:111111111111:accesspoint/app",
  accessPointAlias: "app-s3alias",
  operatorRoleArn: "arn:aws:iam::111111111111:role/app-operators",
  topicArn: arn("sns", "app-uploads"),
  undeliveredQueueUrl: queueUrl("app-undelivered"),
  sizes: [
    {
      size: 16,
      queueUrl: queueUrl("app-size16"),
      deadLetterQueueUrl: queueUrl("app-size16-dlq"),
      serviceName: "app-resizer16",
    },
  ],
  keyLayout: { inputPrefix: "icons/", outputPrefix: "icons-size-" },
  clusterName: "app",
  alarmTopicArn: arn("sns", "app-alarms-0a1b2c3"),
  maxSourceBytes: 1024,
};
const resources: SynthResource[] = [
  { type: "aws:s3/bucket:Bucket", name: "app-icons", inputs: { bucket: "app-bucket", forceDestroy: false } },
  {
    type: "aws:sqs/queue:Queue",
    name: "app-size16",
    inputs: {
      name: "app-size16",
      visibilityTimeoutSeconds: 60,
      redrivePolicy: `{"deadLetterTargetArn":"${arn("sqs", "app-size16-dlq")}","maxReceiveCount":5}`,
      sqsManagedSseEnabled: true,
    },
  },
  { type: "aws:sns/topic:Topic", name: "app-uploads", inputs: { name: "app-uploads" } },
  { type: "aws:sns/topic:Topic", name: "app-alarms", inputs: {} },
  {
    type: "aws:sns/topicPolicy:TopicPolicy",
    name: "app-alarms-policy",
    inputs: { arn: arn("sns", "app-alarms-0a1b2c3"), policy: "{}" },
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    name: "app-size16-from-uploads",
    inputs: {
      topic: arn("sns", "app-uploads"),
      protocol: "sqs",
      endpoint: arn("sqs", "app-size16"),
      rawMessageDelivery: true,
    },
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    name: "app-size16-from-shadow",
    inputs: {
      topic: "arn:aws:sns:eu-west-1:222222222222:prod-uploads",
      protocol: "sqs",
      endpoint: arn("sqs", "app-size16"),
    },
  },
  {
    type: "aws:s3/bucketNotification:BucketNotification",
    name: "app-notification",
    inputs: {
      bucket: "app-bucket",
      topics: [
        {
          id: "icon-uploads",
          topicArn: arn("sns", "app-uploads"),
          events: ["s3:ObjectCreated:*"],
          filterPrefix: "icons/",
        },
      ],
    },
  },
  {
    type: "awsx:ecr:Image",
    name: "app-resizer-image",
    inputs: {
      repositoryUrl: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/app-resizer",
      dockerfile: "/somewhere/else/apps/resizer/Dockerfile",
    },
  },
  {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    name: "app-resizer16",
    inputs: {
      family: "app-resizer16",
      containerDefinitions: JSON.stringify([
        {
          image: "111111111111.dkr.ecr.eu-west-1.amazonaws.com/app-resizer@sha256:00",
          environment: [{ name: "QUEUE_URL", value: queueUrl("app-size16") }],
        },
      ]),
    },
  },
  {
    type: "aws:ecs/service:Service",
    name: "app-resizer16",
    inputs: {
      name: "app-resizer16",
      desiredCount: 1,
      taskDefinition: arn("ecs", "task-definition/app-resizer16:1"),
    },
  },
  { type: "aws:iam/role:Role", name: "a", inputs: {} },
  { type: "aws:iam/role:Role", name: "b", inputs: {} },
  { type: "icon-fanout:messaging:SizeQueue", name: "app-size16", inputs: {} },
];

describe("planStack", () => {
  const plan = planStack({ stack: "dev", resources, outputs });

  it("turns queue inputs into SQS attributes, keeping the stack's ARNs for later translation", () => {
    expect(plan.queues).toEqual([
      {
        name: "app-size16",
        attributes: {
          VisibilityTimeout: "60",
          RedrivePolicy: `{"deadLetterTargetArn":"${arn("sqs", "app-size16-dlq")}","maxReceiveCount":5}`,
          SqsManagedSseEnabled: "true",
        },
      },
    ]);
    expect(plan).toMatchObject({ region: "eu-west-1", accountId: account, bucket: "app-bucket" });
  });

  it("names an auto-named topic as the stack refers to it", () => {
    expect(plan.topics.map((topic) => topic.name)).toEqual(["app-uploads", "app-alarms-0a1b2c3"]);
  });

  it("subscribes the stack's own topic and names another account's as not emulated", () => {
    expect(plan.subscriptions).toEqual([
      {
        resource: "app-size16-from-uploads",
        topicArn: arn("sns", "app-uploads"),
        queueArn: arn("sqs", "app-size16"),
        attributes: { RawMessageDelivery: "true" },
      },
    ]);
    expect(plan.notEmulated).toContain(
      "sns: TopicSubscription to account 222222222222's topic (the emulator is one account and delivers to SQS only)",
    );
    expect(plan.notEmulated).toContain("iam: Role ×2 (not enforced: the emulator accepts any credentials)");
  });

  it("runs each ECS service's app with its task definition's environment", () => {
    expect(plan.services).toEqual([
      {
        name: "app-resizer16",
        app: "resizer",
        desiredCount: 1,
        environment: { QUEUE_URL: queueUrl("app-size16") },
      },
    ]);
    expect(plan.notifications).toEqual([
      {
        id: "icon-uploads",
        topicArn: arn("sns", "app-uploads"),
        events: ["s3:ObjectCreated:*"],
        filterPrefix: "icons/",
      },
    ]);
  });

  it("refuses an input it cannot create rather than leave it out", () => {
    const withFifo = resources.map((r) =>
      r.name === "app-size16" && r.type === "aws:sqs/queue:Queue"
        ? { ...r, inputs: { ...r.inputs, deduplicationScope: "queue" } }
        : r,
    );
    expect(() => planStack({ stack: "dev", resources: withFifo, outputs })).toThrow(
      'aws:sqs/queue:Queue app-size16: the local stack does not know how to create input "deduplicationScope"',
    );
  });
});
