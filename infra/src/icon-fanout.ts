import { PROJECT, type StackConfig, type StackOutputs } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { resolveShadowSource, type ShadowSource } from "./messaging/shadow-source.js";
import { SizeQueue, type TopicSource } from "./messaging/size-queue.js";
import { UndeliveredQueue } from "./messaging/undelivered-queue.js";
import { UploadTopic } from "./messaging/upload-topic.js";
import { defaultBucketName, type Placement, uploadTopicName } from "./naming.js";
import { DesignerAccessPoint } from "./storage/designer-access-point.js";
import { IconBucket } from "./storage/icon-bucket.js";

export interface IconFanoutArgs {
  /** The validated stack configuration (see `parseStackConfig`). */
  config: StackConfig;
  /** The stack name, e.g. `prod`; part of every physical name. */
  stack: string;
}

type Outputs = { [K in keyof StackOutputs]: pulumi.Output<StackOutputs[K]> };

/**
 * The whole fan-out for one environment, in the order an upload travels:
 * bucket (through the designers' access point) → topic → one queue per size.
 */
export class IconFanout extends pulumi.ComponentResource {
  readonly outputs: Outputs;
  /** The other stack this one shadows, when `crossAccount.shadowFrom` is set. */
  readonly shadowSource: ShadowSource | undefined;

  constructor(name: string, { config, stack }: IconFanoutArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:index:IconFanout", name, {}, opts);
    const placement: Placement = { accountId: config.accountId, region: config.region, partition: "aws" };
    const stackPrefix = `${PROJECT}-${stack}`;
    const parent = { parent: this };

    const bucket = new IconBucket(
      `${name}-icons`,
      {
        bucketName: config.bucket.name ?? defaultBucketName(stackPrefix, config.accountId),
        placement,
        keys: config.keys,
        noncurrentVersionRetentionDays: config.bucket.noncurrentVersionRetentionDays,
        shadowReaders: config.crossAccount.allowSubscribers,
      },
      parent,
    );
    const accessPoint = new DesignerAccessPoint(
      `${name}-designers`,
      {
        bucket: bucket.name,
        placement,
        keys: config.keys,
        iconSizes: config.iconSizes,
        designerArns: config.designers.principalArns,
      },
      { parent: this, dependsOn: [bucket.policy] },
    );
    const topic = new UploadTopic(
      `${name}-uploads`,
      {
        topicName: uploadTopicName(stackPrefix),
        placement,
        bucketName: bucket.name,
        bucketArn: bucket.arn,
        inputPrefix: config.keys.inputPrefix,
        allowSubscribers: config.crossAccount.allowSubscribers,
      },
      parent,
    );

    const shadowFrom = config.crossAccount.shadowFrom;
    this.shadowSource =
      shadowFrom && resolveShadowSource(`${name}-shadow-source`, shadowFrom, placement, parent);
    const sources: TopicSource[] = [{ label: "uploads", topicArn: topic.arn }];
    if (this.shadowSource) sources.push({ label: "shadow", topicArn: this.shadowSource.topicArn });

    const undelivered = new UndeliveredQueue(
      `${name}-undelivered`,
      { topicArns: sources.map((source) => source.topicArn) },
      parent,
    );
    const queues = config.iconSizes.map(
      (size) =>
        new SizeQueue(
          `${name}-size${size}`,
          {
            size,
            sources,
            visibilityTimeoutSeconds: config.resizer.visibilityTimeoutSeconds,
            maxReceiveCount: config.resizer.maxReceiveCount,
            undeliveredQueueArn: undelivered.queue.arn,
          },
          parent,
        ),
    );

    this.outputs = {
      bucketName: bucket.name,
      accessPointArn: accessPoint.arn,
      accessPointAlias: accessPoint.alias,
      topicArn: topic.arn,
      undeliveredQueueUrl: undelivered.queue.url,
      sizes: pulumi.all(
        queues.map((queue, index) =>
          pulumi
            .all([queue.queue.url, queue.deadLetterQueue.url])
            .apply(([queueUrl, deadLetterQueueUrl]) => ({
              size: config.iconSizes[index] ?? 0,
              queueUrl,
              deadLetterQueueUrl,
            })),
        ),
      ),
    };
    this.registerOutputs(this.outputs);
  }
}
