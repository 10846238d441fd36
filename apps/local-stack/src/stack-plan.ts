import { readFile } from "node:fs/promises";
import { parseTopicArn, type StackOutputs, stackOutputsSchema } from "@icon-fanout/config";

/** One resource of `synth/<stack>.json` (written by `pnpm synth <stack>`). */
export interface SynthResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** A queue, topic or subscription as SQS/SNS attributes; ARNs and URLs are still the stack's. */
export interface QueuePlan {
  name: string;
  attributes: Record<string, string>;
}
export interface TopicPlan {
  name: string;
  attributes: Record<string, string>;
}
export interface SubscriptionPlan {
  resource: string;
  topicArn: string;
  queueArn: string;
  attributes: Record<string, string>;
}
/** A policy resource that becomes one attribute of an existing queue or topic. */
export interface AttributePlan {
  resource: string;
  target: string;
  attribute: string;
  value: string;
}
/** One `TopicConfiguration` of the bucket's notification configuration. */
export interface TopicNotification {
  id: string;
  topicArn: string;
  events: string[];
  filterPrefix?: string;
  filterSuffix?: string;
}
/** An ECS service: the app its image is built from, its container environment and task count. */
export interface ServicePlan {
  name: string;
  app: string;
  desiredCount: number;
  environment: Record<string, string>;
}

export interface StackPlan {
  stack: string;
  region: string;
  accountId: string;
  bucket: string;
  queues: QueuePlan[];
  topics: TopicPlan[];
  subscriptions: SubscriptionPlan[];
  queueAttributes: AttributePlan[];
  topicAttributes: AttributePlan[];
  notifications: TopicNotification[];
  services: ServicePlan[];
  outputs: StackOutputs;
  /** What the local stack does not create, one line per group, with what stands in for it. */
  notEmulated: string[];
}

const QUEUE_ATTRIBUTES: Record<string, string> = {
  delaySeconds: "DelaySeconds",
  maxMessageSize: "MaximumMessageSize",
  messageRetentionSeconds: "MessageRetentionPeriod",
  receiveWaitTimeSeconds: "ReceiveMessageWaitTimeSeconds",
  visibilityTimeoutSeconds: "VisibilityTimeout",
  redrivePolicy: "RedrivePolicy",
  redriveAllowPolicy: "RedriveAllowPolicy",
  policy: "Policy",
  sqsManagedSseEnabled: "SqsManagedSseEnabled",
  kmsMasterKeyId: "KmsMasterKeyId",
  kmsDataKeyReusePeriodSeconds: "KmsDataKeyReusePeriodSeconds",
  fifoQueue: "FifoQueue",
  contentBasedDeduplication: "ContentBasedDeduplication",
};
const TOPIC_ATTRIBUTES: Record<string, string> = {
  displayName: "DisplayName",
  policy: "Policy",
  deliveryPolicy: "DeliveryPolicy",
  kmsMasterKeyId: "KmsMasterKeyId",
  fifoTopic: "FifoTopic",
  contentBasedDeduplication: "ContentBasedDeduplication",
};
const SUBSCRIPTION_ATTRIBUTES: Record<string, string> = {
  rawMessageDelivery: "RawMessageDelivery",
  redrivePolicy: "RedrivePolicy",
  filterPolicy: "FilterPolicy",
  filterPolicyScope: "FilterPolicyScope",
  deliveryPolicy: "DeliveryPolicy",
};
/** Inputs that name or tag a resource rather than configure it. */
const NAMING_INPUTS = new Set(["name", "namePrefix", "tags", "topic", "protocol", "endpoint"]);

/** Why a kind of resource has no local counterpart, and what stands in for it. */
const NOT_EMULATED: Record<string, string> = {
  iam: "not enforced: the emulator accepts any credentials",
  cloudwatch: "no CloudWatch: the metric publisher writes its metric to metrics.json instead",
  ecs: "services run as local processes of apps/<app>/dist",
  ecr: "apps run from their local build, not from images",
  awsx: "apps run from their local build, not from images",
  ec2: "processes talk over the loopback interface",
  appautoscaling:
    "a fixed number of workers per size (--workers), or the policies run by the local stack (--autoscale)",
  s3: "fauxqs has no policies, encryption, versioning or access points: uploads go to the bucket itself",
  sns: "the emulator is one account and delivers to SQS only",
};

export async function readSynthDocument(
  path: string,
): Promise<{ stack: string; resources: SynthResource[]; outputs: unknown }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read ${path} (${(error as Error).message}); run 'pnpm synth <stack>' first`);
  }
  const document = JSON.parse(text) as { stack?: unknown; resources?: unknown; outputs?: unknown };
  if (typeof document.stack !== "string" || !Array.isArray(document.resources))
    throw new Error(`${path} is not a synth document: it needs "stack" and "resources"`);
  return {
    stack: document.stack,
    resources: document.resources as SynthResource[],
    outputs: document.outputs,
  };
}

/** Reads what the Pulumi program declares into what the emulator and the process supervisor create. */
export function planStack(document: {
  stack: string;
  resources: SynthResource[];
  outputs: unknown;
}): StackPlan {
  const outputs = stackOutputsSchema.parse(document.outputs);
  const placement = parseTopicArn(outputs.topicArn);
  if (!placement) throw new Error(`outputs.topicArn is not a topic ARN: ${outputs.topicArn}`);
  const { region, accountId } = placement;
  const plan: StackPlan = {
    stack: document.stack,
    region,
    accountId,
    bucket: outputs.bucketName,
    queues: [],
    topics: [],
    subscriptions: [],
    queueAttributes: [],
    topicAttributes: [],
    notifications: [],
    services: [],
    outputs,
    notEmulated: [],
  };
  const skipped = new Map<string, string[]>();
  const skip = (service: string, kind: string) =>
    skipped.set(service, [...(skipped.get(service) ?? []), kind]);
  const snsArns =
    JSON.stringify(document.resources).match(/arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+/g) ?? [];

  for (const resource of document.resources) {
    const { type, name, inputs } = resource;
    switch (type) {
      case "aws:s3/bucket:Bucket":
        if (inputs.bucket !== plan.bucket)
          throw new Error(`bucket ${String(inputs.bucket)} is not the stack's bucket ${plan.bucket}`);
        break;
      case "aws:s3/bucketNotification:BucketNotification":
        plan.notifications.push(...notificationsOf(resource, skip));
        break;
      case "aws:sqs/queue:Queue":
        plan.queues.push({
          name: String(inputs.name ?? name),
          attributes: attributesOf(resource, QUEUE_ATTRIBUTES),
        });
        break;
      case "aws:sqs/queuePolicy:QueuePolicy":
        plan.queueAttributes.push({
          resource: name,
          target: String(inputs.queueUrl),
          attribute: "Policy",
          value: String(inputs.policy),
        });
        break;
      case "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy":
        plan.queueAttributes.push({
          resource: name,
          target: String(inputs.queueUrl),
          attribute: "RedriveAllowPolicy",
          value: String(inputs.redriveAllowPolicy),
        });
        break;
      case "aws:sns/topic:Topic":
        plan.topics.push({
          name: topicName(resource, snsArns),
          attributes: attributesOf(resource, TOPIC_ATTRIBUTES),
        });
        break;
      case "aws:sns/topicPolicy:TopicPolicy":
        plan.topicAttributes.push({
          resource: name,
          target: String(inputs.arn),
          attribute: "Policy",
          value: String(inputs.policy),
        });
        break;
      case "aws:sns/topicSubscription:TopicSubscription": {
        const topic = parseTopicArn(String(inputs.topic));
        if (inputs.protocol !== "sqs") skip("sns", `TopicSubscription over ${String(inputs.protocol)}`);
        else if (topic?.accountId !== accountId || topic.region !== region)
          skip("sns", `TopicSubscription to account ${topic?.accountId}'s topic`);
        else
          plan.subscriptions.push({
            resource: name,
            topicArn: String(inputs.topic),
            queueArn: String(inputs.endpoint),
            attributes: attributesOf(resource, SUBSCRIPTION_ATTRIBUTES),
          });
        break;
      }
      case "aws:ecs/service:Service":
        plan.services.push(serviceOf(resource, document.resources));
        break;
      default: {
        const service = /^(aws|awsx):([a-z0-9]+)/.exec(type);
        if (service)
          skip(service[1] === "awsx" ? "awsx" : (service[2] as string), type.split(":").at(-1) as string);
      }
    }
  }
  plan.notEmulated = [...skipped].map(
    ([service, items]) => `${service}: ${summarize(items)} (${NOT_EMULATED[service] ?? "not emulated"})`,
  );
  return plan;
}

function attributesOf(resource: SynthResource, known: Record<string, string>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [input, value] of Object.entries(resource.inputs)) {
    if (NAMING_INPUTS.has(input)) continue;
    const attribute = known[input];
    if (!attribute)
      throw new Error(
        `${resource.type} ${resource.name}: the local stack does not know how to create input "${input}"`,
      );
    attributes[attribute] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return attributes;
}

/** A topic's physical name: its `name`, or for an auto-named topic the `<name>-<suffix>` the stack refers to. */
function topicName(resource: SynthResource, snsArns: string[]): string {
  if (typeof resource.inputs.name === "string") return resource.inputs.name;
  const autoNamed = new RegExp(`:${resource.name}-[0-9a-f]{7}$`);
  return (
    snsArns
      .find((arn) => autoNamed.test(arn))
      ?.split(":")
      .at(-1) ?? resource.name
  );
}

function notificationsOf(
  resource: SynthResource,
  skip: (service: string, kind: string) => void,
): TopicNotification[] {
  const {
    topics = [],
    queues = [],
    lambdaFunctions = [],
  } = resource.inputs as Record<string, Record<string, unknown>[] | undefined>;
  if (queues.length + lambdaFunctions.length > 0) skip("s3", "notifications to queues or Lambda functions");
  return topics.map((topic) => ({
    id: String(topic.id ?? ""),
    topicArn: String(topic.topicArn),
    events: (topic.events as string[]) ?? [],
    ...(typeof topic.filterPrefix === "string" ? { filterPrefix: topic.filterPrefix } : {}),
    ...(typeof topic.filterSuffix === "string" ? { filterSuffix: topic.filterSuffix } : {}),
  }));
}

/** The service's task definition names its image; the image resource names the Dockerfile `apps/<app>/Dockerfile`. */
function serviceOf(service: SynthResource, resources: SynthResource[]): ServicePlan {
  const name = String(service.inputs.name ?? service.name);
  const family = String(service.inputs.taskDefinition).split("/").at(-1)?.split(":")[0];
  const definition = resources.find(
    (r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && r.inputs.family === family,
  );
  if (!definition) throw new Error(`service ${name}: no task definition ${family} in the synth document`);
  const [container] = JSON.parse(String(definition.inputs.containerDefinitions)) as {
    image: string;
    environment?: { name: string; value: string }[];
  }[];
  if (!container) throw new Error(`task definition ${family} has no container`);
  const image = resources.find(
    (r) => r.type === "awsx:ecr:Image" && container.image.startsWith(`${String(r.inputs.repositoryUrl)}@`),
  );
  const app = /apps\/([^/]+)\/Dockerfile$/.exec(String(image?.inputs.dockerfile ?? ""))?.[1];
  if (!app)
    throw new Error(`service ${name}: its image ${container.image} is not built from apps/<app>/Dockerfile`);
  return {
    name,
    app,
    desiredCount: Number(service.inputs.desiredCount ?? 1),
    environment: Object.fromEntries((container.environment ?? []).map((entry) => [entry.name, entry.value])),
  };
}

/** `Role ×8, RolePolicy ×8` */
function summarize(kinds: string[]): string {
  const counts = new Map<string, number>();
  for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => (count > 1 ? `${kind} ×${count}` : kind)).join(", ");
}
