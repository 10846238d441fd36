import { RESIZER_SETTINGS, RESIZER_STOP_TIMEOUT_SECONDS, resizerEnvironment } from "@icon-fanout/config";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SizeQueue } from "../messaging/size-queue.js";
import { type AppServiceArgs, createFargateService, createFargateTask } from "./fargate-task.js";
import { ResizerScaling } from "./resizer-scaling.js";
import { resizerStatements } from "./task-policies.js";

export interface ResizerServiceArgs extends AppServiceArgs {
  size: number;
  queue: SizeQueue;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** A shadowed stack's bucket, whose events this service also accepts. */
  shadowBucketName?: pulumi.Input<string>;
}

/**
 * The resizer of one size: its task (least-privilege role, logs, environment from the typed
 * contract), its service (circuit breaker with rollback; the task count belongs to autoscaling),
 * and its scaling on the 10-second metric.
 */
export class ResizerService extends pulumi.ComponentResource {
  readonly service: aws.ecs.Service;
  readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: ResizerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:compute:ResizerService", name, {}, opts);
    const { config, size } = args;
    const sourceBuckets = pulumi
      .all([args.bucketName, args.shadowBucketName])
      .apply(([own, shadow]) => (shadow ? [own, shadow] : [own]));
    const environment = pulumi
      .all([args.queue.queue.url, args.queue.deadLetterQueue.url, args.bucketName, sourceBuckets])
      .apply(([queueUrl, deadLetterQueueUrl, outputBucket, buckets]) =>
        resizerEnvironment.toContainerEnvironment({
          queueUrl,
          deadLetterQueueUrl,
          iconSize: size,
          outputBucket,
          sourceBuckets: buckets,
          inputPrefix: config.keys.inputPrefix,
          outputPrefix: config.keys.outputPrefix,
          concurrency: config.resizer.concurrency,
          visibilityTimeoutSeconds: config.resizer.visibilityTimeoutSeconds,
          maxSourceBytes: config.resizer.maxSourceBytes,
          drainSeconds: RESIZER_SETTINGS.drainSeconds.default,
          logLevel: "info",
        }),
      );
    const taskStatements = pulumi
      .all([
        args.bucketArn,
        args.shadowBucketName,
        args.queue.queue.arn,
        args.queue.deadLetterQueue.arn,
        args.cluster.name,
      ])
      .apply(([bucketArn, shadowBucketName, queueArn, deadLetterQueueArn, clusterName]) =>
        resizerStatements({
          size,
          keys: config.keys,
          bucketArn,
          ...(shadowBucketName ? { shadowBucketName } : {}),
          queueArn,
          deadLetterQueueArn,
          clusterName,
          placement: args.placement,
        }),
      );
    const task = createFargateTask(
      name,
      {
        placement: args.placement,
        image: args.image,
        repositoryArn: args.repositoryArn,
        cpu: config.resizer.cpu,
        memory: config.resizer.memory,
        architecture: config.resizer.architecture,
        environment,
        taskStatements,
        logRetentionDays: config.resizer.logRetentionDays,
        stopTimeoutSeconds: RESIZER_STOP_TIMEOUT_SECONDS,
      },
      this,
    );
    this.service = createFargateService(
      name,
      {
        cluster: args.cluster,
        task,
        network: args.network,
        desiredCount: Math.max(config.scaling.minTasks, 1),
      },
      // Autoscaling owns the task count after creation.
      { parent: this, ignoreChanges: ["desiredCount"] },
    );
    this.serviceName = this.service.name;
    new ResizerScaling(
      `${name}-scaling`,
      { size, clusterName: args.cluster.name, serviceName: this.service.name, scaling: config.scaling },
      { parent: this },
    );
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
