/** Test support: mocked AWS clients answering like a cluster with the given queues and services. */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeServicesCommand, type DescribeServicesCommandInput, ECSClient } from "@aws-sdk/client-ecs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { ScalingTarget } from "@icon-fanout/config";
import { mockClient } from "aws-sdk-client-mock";

export interface SizeState {
  size: number;
  visible: number;
  inFlight?: number;
  running: number;
  /** The service's desired count; the running count when not given. */
  desired?: number;
}

export function targetsFor(sizes: readonly number[]): ScalingTarget[] {
  return sizes.map((size) => ({
    size,
    queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
    serviceName: `icon-fanout-prod-resizer-${size}`,
  }));
}

export function mockCluster(states: readonly SizeState[]) {
  const sqs = mockClient(SQSClient);
  const ecs = mockClient(ECSClient);
  const cloudWatch = mockClient(CloudWatchClient);
  const bySize = new Map(states.map((state) => [state.size, state]));
  const targets = targetsFor(states.map((state) => state.size));

  for (const target of targets) {
    const state = bySize.get(target.size);
    sqs.on(GetQueueAttributesCommand, { QueueUrl: target.queueUrl }).resolves({
      Attributes: {
        ApproximateNumberOfMessages: String(state?.visible ?? 0),
        ApproximateNumberOfMessagesNotVisible: String(state?.inFlight ?? 0),
      },
    });
  }
  ecs.on(DescribeServicesCommand).callsFake((input: DescribeServicesCommandInput) => {
    if ((input.services?.length ?? 0) > 10) throw new Error("InvalidParameterException: too many services");
    return {
      services: (input.services ?? []).map((name) => {
        const size = Number(name.split("-").at(-1));
        const state = bySize.get(size);
        return {
          serviceName: name,
          status: "ACTIVE",
          runningCount: state?.running ?? 0,
          desiredCount: state?.desired ?? state?.running ?? 0,
        };
      }),
      failures: [],
    };
  });
  cloudWatch.on(PutMetricDataCommand).resolves({});
  return {
    clients: { sqs: new SQSClient({}), ecs: new ECSClient({}), cloudWatch: new CloudWatchClient({}) },
    mocks: { sqs, ecs, cloudWatch },
    targets,
  };
}
