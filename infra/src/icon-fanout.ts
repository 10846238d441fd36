import {
  defaultBucketName,
  designerRoleName,
  operatorRoleName,
  resizerServiceName,
  type StackConfig,
  type StackOutputs,
  sizeQueueName,
  stackPrefix,
  uploadTopicName,
} from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ContainerImage } from "./compute/container-image.js";
import { MetricPublisherService } from "./compute/metric-publisher-service.js";
import { ResizerService } from "./compute/resizer-service.js";
import { resolveShadowSource, type ShadowSource } from "./messaging/shadow-source.js";
import { SizeQueue, type TopicSource } from "./messaging/size-queue.js";
import { UndeliveredQueue } from "./messaging/undelivered-queue.js";
import { UploadTopic } from "./messaging/upload-topic.js";
import { AlarmTopic } from "./monitoring/alarm-topic.js";
import { Dashboard } from "./monitoring/dashboard.js";
import { DeliveryAlarms } from "./monitoring/delivery-alarms.js";
import { SizeAlarms } from "./monitoring/size-alarms.js";
import { Network } from "./network/network.js";
import { OperatorRole } from "./operators/operator-role.js";
import { type Placement, roleArn } from "./placement.js";
import { DesignerAccessPoint } from "./storage/designer-access-point.js";
import { DesignerRole } from "./storage/designer-role.js";
import { IconBucket } from "./storage/icon-bucket.js";

export interface IconFanoutArgs {
  /** The validated stack configuration (see `parseStackConfig`). */
  config: StackConfig;
  /** The stack name, e.g. `prod`; part of every physical name. */
  stack: string;
}

type Outputs = { [K in keyof StackOutputs]: pulumi.Output<StackOutputs[K]> };

/** One icon size end to end: the queue its work waits in and the service that does it. */
interface SizeLane {
  size: number;
  queue: SizeQueue;
  resizer: ResizerService;
}

/**
 * The whole fan-out for one environment, in the order an upload travels: bucket (through the
 * designers' access point) → topic → one queue per size → one resizer service per size, scaled on
 * the metric the publisher computes; then the alarms and the dashboard that watch it, and the role
 * operators assume to work and watch it.
 */
export class IconFanout extends pulumi.ComponentResource {
  readonly outputs: Outputs;
  /** The other stack this one shadows, when `crossAccount.shadowFrom` is set. */
  readonly shadowSource: ShadowSource | undefined;

  constructor(name: string, { config, stack }: IconFanoutArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:index:IconFanout", name, {}, opts);
    const placement: Placement = { accountId: config.accountId, region: config.region, partition: "aws" };
    const prefix = stackPrefix(stack);

    const storage = this.createStorage(name, prefix, config, placement);
    const shadowFrom = config.crossAccount.shadowFrom;
    this.shadowSource =
      shadowFrom && resolveShadowSource(`${name}-shadow-source`, shadowFrom, placement, { parent: this });
    const messaging = this.createMessaging(name, prefix, config, placement, storage.bucket);
    const compute = this.createCompute(name, config, placement, messaging.queues, storage.bucket);
    const alarmTopic = this.createMonitoring(name, config, placement, messaging);
    const operatorRole = this.createOperatorRole(name, prefix, config, placement, {
      bucket: storage.bucket,
      lanes: compute.lanes,
      alarmTopic,
    });

    this.outputs = {
      bucketName: storage.bucket.name,
      accessPointArn: storage.accessPoint.arn,
      accessPointAlias: storage.accessPoint.alias,
      ...(storage.designerRole ? { designerRoleArn: storage.designerRole.arn } : {}),
      operatorRoleArn: operatorRole.arn,
      topicArn: messaging.topic.arn,
      undeliveredQueueUrl: messaging.undelivered.queue.url,
      sizes: pulumi.all(
        compute.lanes.map(({ size, queue, resizer }) =>
          pulumi
            .all([queue.queue.url, queue.deadLetterQueue.url, resizer.serviceName])
            .apply(([queueUrl, deadLetterQueueUrl, serviceName]) => ({
              size,
              queueUrl,
              deadLetterQueueUrl,
              serviceName,
            })),
        ),
      ),
      keyLayout: pulumi.output({ ...config.keys }),
      clusterName: compute.cluster.name,
      alarmTopicArn: alarmTopic.arn,
      maxSourceBytes: pulumi.output(config.resizer.maxSourceBytes),
    };
    this.registerOutputs(this.outputs);
  }

  /** The bucket, the designers' access point, and the designers' role unless they bring their own. */
  private createStorage(name: string, prefix: string, config: StackConfig, placement: Placement) {
    const bucket = new IconBucket(
      `${name}-icons`,
      {
        bucketName: config.bucket.name ?? defaultBucketName(prefix, config.accountId),
        placement,
        keys: config.keys,
        noncurrentVersionRetentionDays: config.bucket.noncurrentVersionRetentionDays,
        shadowReaders: config.crossAccount.allowSubscribers,
      },
      { parent: this },
    );
    const roleName = designerRoleName(prefix);
    const { createRole, assumableBy, principalArns } = config.designers;
    const accessPoint = new DesignerAccessPoint(
      `${name}-designers`,
      {
        bucket: bucket.name,
        placement,
        keys: config.keys,
        iconSizes: config.iconSizes,
        designerArns: principalArns,
        ...(createRole ? { designerRoleArn: roleArn(placement, roleName) } : {}),
      },
      { parent: this, dependsOn: [bucket.policy] },
    );
    const designerRole = createRole
      ? new DesignerRole(
          `${name}-designer-role`,
          { roleName, placement, assumableBy, statements: accessPoint.grants },
          { parent: this },
        )
      : undefined;
    return { bucket, accessPoint, designerRole };
  }

  /** The upload topic, where what it cannot deliver waits, and one queue per size. */
  private createMessaging(
    name: string,
    prefix: string,
    config: StackConfig,
    placement: Placement,
    bucket: IconBucket,
  ) {
    const parent = { parent: this };
    const topic = new UploadTopic(
      `${name}-uploads`,
      {
        topicName: uploadTopicName(prefix),
        placement,
        bucketName: bucket.name,
        bucketArn: bucket.arn,
        inputPrefix: config.keys.inputPrefix,
        allowSubscribers: config.crossAccount.allowSubscribers,
      },
      parent,
    );
    const undelivered = new UndeliveredQueue(`${name}-undelivered`, { topicArns: [topic.arn] }, parent);
    const sources: TopicSource[] = [
      { label: "uploads", topicArn: topic.arn, undeliveredQueueArn: undelivered.queue.arn },
    ];
    if (this.shadowSource) sources.push({ label: "shadow", topicArn: this.shadowSource.topicArn });
    const queues = config.iconSizes.map(
      (size) =>
        new SizeQueue(
          sizeQueueName(name, size),
          {
            size,
            sources,
            visibilityTimeoutSeconds: config.resizer.visibilityTimeoutSeconds,
            maxReceiveCount: config.resizer.maxReceiveCount,
          },
          parent,
        ),
    );
    return { topic, undelivered, queues };
  }

  /** The images, the network and the cluster; a resizer service for each size's queue; the publisher. */
  private createCompute(
    name: string,
    config: StackConfig,
    placement: Placement,
    queues: SizeQueue[],
    bucket: IconBucket,
  ) {
    const parent = { parent: this };
    const platform = config.resizer.architecture === "ARM64" ? "linux/arm64" : "linux/amd64";
    const image = (app: string) =>
      new ContainerImage(`${name}-${app}-image`, { app, platform, keepLast: config.images.keepLast }, parent);
    const resizerImage = image("resizer");
    const publisherImage = image("metric-publisher");
    const network = new Network(`${name}-network`, { ...config.network, region: config.region }, parent);
    const cluster = new aws.ecs.Cluster(`${name}-cluster`, { name }, parent);
    const runtime = {
      placement,
      cluster,
      network,
      architecture: config.resizer.architecture,
      logRetentionDays: config.resizer.logRetentionDays,
    };

    const lanes: SizeLane[] = queues.map((queue) => ({
      size: queue.size,
      queue,
      resizer: new ResizerService(
        resizerServiceName(name, queue.size),
        {
          ...runtime,
          image: resizerImage.imageUri,
          repositoryArn: resizerImage.repositoryArn,
          size: queue.size,
          queue,
          keys: config.keys,
          bucketName: bucket.name,
          bucketArn: bucket.arn,
          ...(this.shadowSource ? { shadowBucketName: this.shadowSource.bucketName } : {}),
          resizer: config.resizer,
          scaling: config.scaling,
        },
        parent,
      ),
    }));
    new MetricPublisherService(
      `${name}-metric-publisher`,
      {
        ...runtime,
        image: publisherImage.imageUri,
        repositoryArn: publisherImage.repositoryArn,
        acceptableMessagesPerTask: config.scaling.acceptableMessagesPerTask,
        sizes: lanes.map(({ size, queue, resizer }) => ({
          size,
          queueUrl: queue.queue.url,
          queueArn: queue.queue.arn,
          serviceName: resizer.serviceName,
          serviceArn: resizer.service.id,
        })),
      },
      parent,
    );
    return { cluster, lanes };
  }

  /** The role operators assume to backfill sizes and watch each size's queue and service and the alarms. */
  private createOperatorRole(
    name: string,
    prefix: string,
    config: StackConfig,
    placement: Placement,
    { bucket, lanes, alarmTopic }: { bucket: IconBucket; lanes: SizeLane[]; alarmTopic: AlarmTopic },
  ): OperatorRole {
    return new OperatorRole(
      `${name}-operator-role`,
      {
        roleName: operatorRoleName(prefix),
        placement,
        assumableBy: config.operators.assumableBy,
        bucketArn: bucket.arn,
        keys: config.keys,
        alarmTopicArn: alarmTopic.arn,
        sizes: pulumi.all(
          lanes.map(({ size, queue, resizer }) =>
            pulumi
              .all([queue.queue.arn, queue.deadLetterQueue.arn, resizer.service.id])
              .apply(([queueArn, deadLetterQueueArn, serviceArn]) => ({
                size,
                queueArn,
                deadLetterQueueArn,
                serviceArn,
              })),
          ),
        ),
      },
      { parent: this },
    );
  }

  /** Where alarms go, the alarms per size and for deliveries, and the dashboard. */
  private createMonitoring(
    name: string,
    config: StackConfig,
    placement: Placement,
    {
      topic,
      undelivered,
      queues,
    }: { topic: UploadTopic; undelivered: UndeliveredQueue; queues: SizeQueue[] },
  ): AlarmTopic {
    const parent = { parent: this };
    const alarmTopic = new AlarmTopic(
      `${name}-alarms`,
      {
        placement,
        ...(config.alarms.email ? { email: config.alarms.email } : {}),
        ...(config.alarms.topicArn ? { existingTopicArn: config.alarms.topicArn } : {}),
      },
      parent,
    );
    for (const queue of queues) {
      new SizeAlarms(
        `${name}-size${queue.size}-alarms`,
        {
          size: queue.size,
          queueName: queue.queue.name,
          deadLetterQueueName: queue.deadLetterQueue.name,
          alarmTopicArn: alarmTopic.arn,
          oldestMessageAgeSeconds: config.alarms.oldestMessageAgeSeconds,
        },
        parent,
      );
    }
    new DeliveryAlarms(
      `${name}-delivery-alarms`,
      { topicName: topic.name, undeliveredQueueName: undelivered.queue.name, alarmTopicArn: alarmTopic.arn },
      parent,
    );
    new Dashboard(
      `${name}-dashboard`,
      {
        region: config.region,
        topicName: topic.name,
        targetValue: config.scaling.targetValue,
        sizes: queues.map((queue) => ({
          size: queue.size,
          queueName: queue.queue.name,
          deadLetterQueueName: queue.deadLetterQueue.name,
        })),
      },
      parent,
    );
    return alarmTopic;
  }
}
