import { METRIC_NAMESPACE, METRIC_PERIOD_SECONDS, metricPublisherEnvironment } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import { type AppServiceArgs, createFargateService, createFargateTask } from "./fargate-task.js";
import { publisherStatements } from "./task-policies.js";

/** One size the publisher measures: the queue whose depth and the service whose tasks it reads. */
export interface PublishedSize {
  size: number;
  queueUrl: pulumi.Input<string>;
  queueArn: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  serviceArn: pulumi.Input<string>;
}

export interface MetricPublisherServiceArgs extends AppServiceArgs {
  sizes: PublishedSize[];
  /** Visible messages one task is expected to absorb per evaluation (the scaling metric's divisor). */
  acceptableMessagesPerTask: number;
}

/** One small task (always one) that publishes every size's scaling metric every 10 seconds. */
export class MetricPublisherService extends pulumi.ComponentResource {
  constructor(name: string, args: MetricPublisherServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:compute:MetricPublisherService", name, {}, opts);
    const targets = pulumi.all(
      args.sizes.map((size) =>
        pulumi
          .all([size.queueUrl, size.serviceName])
          .apply(([queueUrl, serviceName]) => ({ size: size.size, queueUrl, serviceName })),
      ),
    );
    const environment = pulumi.all([args.cluster.name, targets]).apply(([clusterName, scalingTargets]) =>
      metricPublisherEnvironment.toContainerEnvironment({
        clusterName,
        scalingTargets,
        acceptableMessagesPerTask: args.acceptableMessagesPerTask,
        metricNamespace: METRIC_NAMESPACE,
        tickSeconds: METRIC_PERIOD_SECONDS,
        logLevel: "info",
      }),
    );
    const taskStatements = pulumi
      .all([pulumi.all(args.sizes.map((s) => s.queueArn)), pulumi.all(args.sizes.map((s) => s.serviceArn))])
      .apply(([queueArns, serviceArns]) => publisherStatements(queueArns, serviceArns));
    const task = createFargateTask(
      name,
      {
        placement: args.placement,
        image: args.image,
        repositoryArn: args.repositoryArn,
        cpu: 256,
        memory: 512,
        architecture: args.architecture,
        environment,
        taskStatements,
        logRetentionDays: args.logRetentionDays,
        stopTimeoutSeconds: 30,
      },
      this,
    );
    createFargateService(
      name,
      { cluster: args.cluster, task, network: args.network, desiredCount: 1 },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
