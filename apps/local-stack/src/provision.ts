import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateTopicCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { type CallDeadlines, clientSettings, DEFAULT_CALL_DEADLINES } from "@icon-fanout/aws-clients";
import { LOCAL_STACK_CREDENTIALS as LOCAL_CREDENTIALS } from "@icon-fanout/config";
import { LocalNames, type LocalQueue } from "./local-names.js";
import type { StackPlan, TopicNotification } from "./stack-plan.js";

/** Attributes that name other resources: set once every queue and topic exists and has its local ARN. */
const REFERENCING = new Set(["RedrivePolicy", "Policy", "RedriveAllowPolicy"]);

export interface Provisioned {
  names: LocalNames;
  /** The bucket's notification configuration with the emulator's topic ARNs. */
  notifications: TopicNotification[];
  /** One line per resource created, for the start-up summary. */
  created: string[];
}

/** The emulator's clients, with the deadlines every AWS call has (`@icon-fanout/aws-clients`). */
const emulatorSettings = (endpoint: string, region: string, deadlines: CallDeadlines) => ({
  endpoint,
  region,
  credentials: LOCAL_CREDENTIALS,
  ...clientSettings(deadlines),
});

export function emulatorClients(endpoint: string, region: string, deadlines = DEFAULT_CALL_DEADLINES) {
  const settings = emulatorSettings(endpoint, region, deadlines);
  return {
    s3: new S3Client({ ...settings, forcePathStyle: true }),
    sns: new SNSClient(settings),
    sqs: emulatorSqs(endpoint, region, deadlines),
  };
}

export function emulatorSqs(endpoint: string, region: string, deadlines = DEFAULT_CALL_DEADLINES): SQSClient {
  return new SQSClient({ ...emulatorSettings(endpoint, region, deadlines), useQueueUrlAsEndpoint: false });
}

/** Messages a queue holds, waiting or in flight. */
export async function queuedMessages(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

/**
 * Creates in the emulator, through its AWS APIs, what the plan (the synthesized stack) declares:
 * bucket, queues with their attributes, topics, policies, subscriptions with their attributes, and
 * the bucket's notification configuration. fauxqs stores policies without enforcing them and
 * accepts the notification configuration without acting on it (`S3Notifier` does that).
 */
export async function provision(plan: StackPlan, endpoint: string): Promise<Provisioned> {
  const { s3, sns, sqs } = emulatorClients(endpoint, plan.region);
  const created: string[] = [];
  await s3.send(new CreateBucketCommand({ Bucket: plan.bucket }));
  created.push(`bucket ${plan.bucket}`);

  const queues = new Map<string, LocalQueue>();
  for (const queue of plan.queues) {
    const plain = Object.fromEntries(
      Object.entries(queue.attributes).filter(([key]) => !REFERENCING.has(key)),
    );
    const { QueueUrl: url = "" } = await sqs.send(
      new CreateQueueCommand({ QueueName: queue.name, Attributes: plain }),
    );
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    queues.set(queue.name, { url, arn: Attributes.QueueArn ?? "" });
  }
  const topics = new Map<string, string>();
  for (const topic of plan.topics) {
    const plain = Object.fromEntries(
      Object.entries(topic.attributes).filter(([key]) => !REFERENCING.has(key)),
    );
    const { TopicArn = "" } = await sns.send(new CreateTopicCommand({ Name: topic.name, Attributes: plain }));
    topics.set(topic.name, TopicArn);
  }
  const names = new LocalNames(plan, queues, topics);

  for (const queue of plan.queues) {
    const referencing = Object.fromEntries(
      Object.entries(queue.attributes).filter(([key]) => REFERENCING.has(key)),
    );
    if (Object.keys(referencing).length > 0)
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: queues.get(queue.name)?.url,
          Attributes: names.translateAll(referencing),
        }),
      );
    created.push(`queue ${queue.name}${describeQueue(queue.attributes)}`);
  }
  for (const policy of plan.queueAttributes) {
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: names.translate(policy.target),
        Attributes: { [policy.attribute]: names.translate(policy.value) },
      }),
    );
  }
  for (const topic of plan.topics) {
    for (const [attribute, value] of Object.entries(topic.attributes).filter(([key]) => REFERENCING.has(key)))
      await sns.send(
        new SetTopicAttributesCommand({
          TopicArn: topics.get(topic.name),
          AttributeName: attribute,
          AttributeValue: names.translate(value),
        }),
      );
    created.push(`topic ${topic.name}`);
  }
  for (const policy of plan.topicAttributes) {
    await sns.send(
      new SetTopicAttributesCommand({
        TopicArn: names.translate(policy.target),
        AttributeName: policy.attribute,
        AttributeValue: names.translate(policy.value),
      }),
    );
  }
  for (const subscription of plan.subscriptions) {
    await sns.send(
      new SubscribeCommand({
        TopicArn: names.translate(subscription.topicArn),
        Protocol: "sqs",
        Endpoint: names.translate(subscription.queueArn),
        Attributes: names.translateAll(subscription.attributes),
        ReturnSubscriptionArn: true,
      }),
    );
    created.push(
      `subscription ${subscription.resource}${subscription.attributes.RawMessageDelivery === "true" ? " (raw delivery)" : ""}`,
    );
  }

  const notifications = plan.notifications.map((topic) => ({
    ...topic,
    topicArn: names.translate(topic.topicArn),
  }));
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: plan.bucket,
      NotificationConfiguration: {
        TopicConfigurations: notifications.map((topic) => ({
          Id: topic.id,
          TopicArn: topic.topicArn,
          Events: topic.events as never,
          ...(topic.filterPrefix || topic.filterSuffix
            ? {
                Filter: {
                  Key: {
                    FilterRules: [
                      ...(topic.filterPrefix ? [{ Name: "prefix" as const, Value: topic.filterPrefix }] : []),
                      ...(topic.filterSuffix ? [{ Name: "suffix" as const, Value: topic.filterSuffix }] : []),
                    ],
                  },
                },
              }
            : {}),
        })),
      },
    }),
  );
  for (const topic of notifications)
    created.push(
      `notification ${topic.id}: ${topic.events.join(", ")} under ${topic.filterPrefix ?? "(any key)"} → ${topic.topicArn.split(":").at(-1)}`,
    );
  return { names, notifications, created };
}

function describeQueue(attributes: Record<string, string>): string {
  const parts: string[] = [];
  if (attributes.VisibilityTimeout) parts.push(`visibility ${attributes.VisibilityTimeout} s`);
  if (attributes.RedrivePolicy) {
    const policy = JSON.parse(attributes.RedrivePolicy) as {
      maxReceiveCount?: number;
      deadLetterTargetArn?: string;
    };
    if (policy.maxReceiveCount) parts.push(`DLQ after ${policy.maxReceiveCount} receives`);
  }
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
