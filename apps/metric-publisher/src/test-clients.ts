/** Test support: mocked AWS clients answering like a cluster with the given queues and services. */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type DescribeServicesCommandInput, ECSClient } from "@aws-sdk/client-ecs";
import {
  GetQueueAttributesCommand,
  type GetQueueAttributesCommandInput,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { resizerServiceName, type ScalingTarget, sizeQueueName, stackPrefix } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";

export interface SizeState {
  size: number;
  visible: number;
  inFlight?: number;
  running: number;
  /** The service's desired count; the running count when not given. */
  desired?: number;
}

/** The prod stack's cluster; every service below runs in it. */
export const CLUSTER = stackPrefix("prod");

/** The publisher's targets for the prod stack, named as the program names its queues and services. */
export function targetsFor(sizes: readonly number[]): ScalingTarget[] {
  return sizes.map((size) => ({
    size,
    queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/${sizeQueueName(CLUSTER, size)}`,
    serviceName: resizerServiceName(CLUSTER, size),
  }));
}

export function mockCluster(states: readonly SizeState[]) {
  const sqs = mockClient(SQSClient);
  const ecs = mockClient(ECSClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const bySize = new Map(states.map((state) => [state.size, state]));
  const targets = targetsFor(states.map((state) => state.size));
  const byService = new Map(targets.map((target) => [target.serviceName, bySize.get(target.size)]));
  const byQueue = new Map(targets.map((target) => [target.queueUrl, bySize.get(target.size)]));

  // One handler for every queue (a matcher per queue is slow at hundreds of sizes); a test can
  // still make one queue answer differently with its own `.on(…, { QueueUrl })`.
  sqs.on(GetQueueAttributesCommand).callsFake((input: GetQueueAttributesCommandInput) => {
    const state = byQueue.get(input.QueueUrl ?? "");
    if (!state)
      throw Object.assign(new Error("The specified queue does not exist."), { name: "QueueDoesNotExist" });
    return {
      Attributes: {
        ApproximateNumberOfMessages: String(state.visible),
        ApproximateNumberOfMessagesNotVisible: String(state.inFlight ?? 0),
      },
    };
  });
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    if ((input.services?.length ?? 0) > 10) throw new Error("InvalidParameterException: too many services");
    if (input.cluster !== CLUSTER) throw new Error(`ClusterNotFoundException: ${input.cluster}`);
    return {
      services: (input.services ?? [])
        .filter((name) => byService.has(name))
        .map((name) => {
          const state = byService.get(name);
          return {
            serviceName: name,
            status: "ACTIVE",
            runningCount: state?.running,
            desiredCount: state?.desired ?? state?.running,
          };
        }),
      failures: (input.services ?? [])
        .filter((name) => !byService.has(name))
        .map((name) => ({
          arn: `arn:aws:ecs:eu-west-1:222222222222:service/${CLUSTER}/${name}`,
          reason: "MISSING",
        })),
    };
  });
  cloudWatch.on(PutMetricDataCommand).resolves({});
  return {
    clients: { sqs: new SQSClient({}), ecs: new ECSClient({}), cloudWatch: new CloudWatchClient({}) },
    mocks: { sqs, ecs, cloudWatch },
    targets,
  };
}
