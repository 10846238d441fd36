import {
  type KeyLayout,
  RESIZER_SETTINGS,
  RESIZER_STOP_TIMEOUT_SECONDS,
  RESIZER_TASK_ROLE_PATH,
  resizerEnvironment,
} from "@icon-fanout/config";
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SizeQueue } from "../messaging/size-queue.js";
import { type AppServiceArgs, createFargateService, createFargateTask } from "./fargate-task.js";
import { ResizerScaling, type ResizerScalingSettings } from "./resizer-scaling.js";
import { resizerStatements } from "./task-policies.js";

/** The stack's `resizer` settings this service applies. */
export interface ResizerTaskSettings {
  /** CPU units per task, one of Fargate's values. */
  cpu: number;
  /** MiB per task, one Fargate allows for `cpu`. */
  memory: number;
  /** Messages one task works on at once. */
  concurrency: number;
  /** Seconds a received message stays hidden before another task may take it. */
  visibilityTimeoutSeconds: number;
  /** Sources larger than this many bytes are refused as invalid input. */
  maxSourceBytes: number;
}

export interface ResizerServiceArgs extends AppServiceArgs {
  /** The icon size this service renders. */
  size: number;
  /** This size's work queue and its dead-letter queue. */
  queue: SizeQueue;
  /** Where sources are read from and outputs written. */
  keys: KeyLayout;
  bucketName: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  /** A shadowed stack's bucket, whose events this service also accepts. */
  shadowBucketName?: pulumi.Input<string>;
  resizer: ResizerTaskSettings;
  scaling: ResizerScalingSettings;
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
    const { keys, resizer, size } = args;
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
          inputPrefix: keys.inputPrefix,
          outputPrefix: keys.outputPrefix,
          concurrency: resizer.concurrency,
          visibilityTimeoutSeconds: resizer.visibilityTimeoutSeconds,
          maxSourceBytes: resizer.maxSourceBytes,
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
          keys,
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
        cpu: resizer.cpu,
        memory: resizer.memory,
        architecture: args.architecture,
        environment,
        taskStatements,
        // Other accounts' bucket policies admit resizers by this path (see IconBucket).
        taskRolePath: RESIZER_TASK_ROLE_PATH,
        logRetentionDays: args.logRetentionDays,
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
        desiredCount: Math.max(args.scaling.minTasks, 1),
      },
      // Autoscaling owns the task count after creation.
      { parent: this, ignoreChanges: ["desiredCount"] },
    );
    this.serviceName = this.service.name;
    new ResizerScaling(
      `${name}-scaling`,
      { size, clusterName: args.cluster.name, serviceName: this.service.name, scaling: args.scaling },
      { parent: this },
    );
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
