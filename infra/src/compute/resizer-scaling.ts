import { ICON_SIZE_DIMENSION, iconSizeDimension, METRIC_NAMES, METRIC_NAMESPACE } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The stack's `scaling` settings that shape one size's scaling. */
export interface ResizerScalingSettings {
  /** Fewest tasks; 0 adds the step policies that start the first task and stop the last. */
  minTasks: number;
  maxTasks: number;
  /** The scaling metric's value that target tracking holds. */
  targetValue: number;
  /** Seconds after a scale-in before target tracking scales in again. */
  scaleInCooldownSeconds: number;
  /** Seconds after a scale-out before target tracking scales out again. */
  scaleOutCooldownSeconds: number;
  /** With `minTasks: 0`, one-minute periods of an empty queue before the last task stops. */
  stopAfterIdleMinutes: number;
}

export interface ResizerScalingArgs {
  /** The icon size whose service scales, as in the metric's dimension. */
  size: number;
  clusterName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  scaling: ResizerScalingSettings;
}

/**
 * Scaling of one size's service. Target tracking holds the 10-second metric at its target between
 * one and maxTasks tasks. With `minTasks: 0` two step policies cover what target tracking cannot:
 * starting the first task when messages wait and no task is desired (a 10-second alarm), and
 * stopping the last one once the queue has been empty for `stopAfterIdleMinutes`. They do not fight: each
 * acts only in a state (nothing desired / queue empty) where target tracking has nothing to do.
 */
export class ResizerScaling extends pulumi.ComponentResource {
  constructor(name: string, args: ResizerScalingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:compute:ResizerScaling", name, {}, opts);
    const parent = { parent: this };
    const { scaling, size } = args;
    const resourceId = pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`;
    const target = new aws.appautoscaling.Target(
      name,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId,
        minCapacity: scaling.minTasks,
        maxCapacity: scaling.maxTasks,
      },
      parent,
    );
    const dimension = [{ name: ICON_SIZE_DIMENSION, value: iconSizeDimension(size) }];
    new aws.appautoscaling.Policy(
      `${name}-target-tracking`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: scaling.targetValue,
          scaleInCooldown: scaling.scaleInCooldownSeconds,
          scaleOutCooldown: scaling.scaleOutCooldownSeconds,
          customizedMetricSpecification: {
            namespace: METRIC_NAMESPACE,
            metricName: METRIC_NAMES.scaling,
            dimensions: dimension,
            statistic: "Average",
          },
        },
      },
      parent,
    );
    if (scaling.minTasks === 0) this.createScaleToZero(name, target, size, scaling.stopAfterIdleMinutes);
    this.registerOutputs({});
  }

  private createScaleToZero(
    name: string,
    target: aws.appautoscaling.Target,
    size: number,
    idleMinutes: number,
  ): void {
    const parent = { parent: this };
    const step = (policyName: string, adjustmentType: string, adjustment: number) =>
      new aws.appautoscaling.Policy(
        policyName,
        {
          policyType: "StepScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          stepScalingPolicyConfiguration: {
            adjustmentType,
            cooldown: 60,
            metricAggregationType: "Maximum",
            stepAdjustments: [{ metricIntervalLowerBound: "0", scalingAdjustment: adjustment }],
          },
        },
        parent,
      );
    const gauge = (id: string, metricName: string, period: number, stat = "Maximum") => ({
      id,
      returnData: false,
      metric: {
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensions: { [ICON_SIZE_DIMENSION]: iconSizeDimension(size) },
        period,
        stat,
      },
    });
    // Keyed on the desired count, not the running one: tasks target tracking has asked for may not
    // run yet (cold start, deployment, crash loop), and CloudWatch repeats scaling actions while an
    // alarm stays in ALARM (docs/aws-behaviour.md). Adding one, rather than setting one, can only
    // raise capacity even if the alarm acts on a reading from before target tracking's.
    const startFirst = step(`${name}-start-first-task`, "ChangeInCapacity", 1);
    new aws.cloudwatch.MetricAlarm(
      `${name}-start-first-task`,
      {
        alarmDescription: `size ${size}: messages wait and no task is desired; add one`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: "notBreaching",
        metricQueries: [
          gauge("visible", METRIC_NAMES.backlogVisible, 10),
          gauge("desired", METRIC_NAMES.desiredTasks, 10),
          { id: "waiting", expression: "IF(visible > 0 AND desired == 0, 1, 0)", returnData: true },
        ],
        alarmActions: [startFirst.arn],
      },
      parent,
    );
    const stopLast = step(`${name}-stop-last-task`, "ExactCapacity", 0);
    new aws.cloudwatch.MetricAlarm(
      `${name}-stop-last-task`,
      {
        alarmDescription: `size ${size}: queue empty (nothing visible or in flight) for ${idleMinutes} minutes; stop every task`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: idleMinutes,
        datapointsToAlarm: idleMinutes,
        treatMissingData: "notBreaching",
        metricQueries: [
          gauge("visible", METRIC_NAMES.backlogVisible, 60),
          gauge("inflight", METRIC_NAMES.backlogInFlight, 60),
          gauge("running", METRIC_NAMES.runningTasks, 60, "Minimum"),
          { id: "idle", expression: "IF(visible + inflight == 0 AND running > 0, 1, 0)", returnData: true },
        ],
        alarmActions: [stopLast.arn],
      },
      parent,
    );
  }
}
