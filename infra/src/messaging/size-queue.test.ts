import { describe, expect, it } from "vitest";
import type { RecordedResource } from "../../tooling/synth/mock-engine.js";
import { ofType, only, type ProgramRun, stackRun } from "../../tooling/testing/stack-runs.js";

const QUEUE = "aws:sqs/queue:Queue";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

const prod = stackRun("prod");
const dev = stackRun("dev");

const childrenOf = (run: ProgramRun, parent: RecordedResource) =>
  run.resources.filter((r) => r.parent === parent.urn);

describe("each size's queue", () => {
  it.each([16, 32, 64])(
    "prod size %i has one queue, one DLQ, one queue policy and one subscription",
    (size) => {
      const component = only(prod.resources, "icon-fanout:messaging:SizeQueue", `size${size}`);
      const children = childrenOf(prod, component);
      expect(ofType(children, QUEUE).map((q) => q.inputs.name)).toEqual([
        `icon-fanout-prod-size${size}`,
        `icon-fanout-prod-size${size}-dlq`,
      ]);
      expect(ofType(children, QUEUE_POLICY)).toHaveLength(1);
      expect(ofType(children, SUBSCRIPTION)).toHaveLength(1);
      expect(ofType(children, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy")).toHaveLength(1);
    },
  );

  it("dev's queues subscribe to their own topic and to prod's", () => {
    for (const size of [16, 32, 64]) {
      const component = only(dev.resources, "icon-fanout:messaging:SizeQueue", `size${size}`);
      const topics = ofType(childrenOf(dev, component), SUBSCRIPTION).map((s) => s.inputs.topic);
      expect(topics.sort()).toEqual([
        "arn:aws:sns:eu-west-1:111111111111:icon-fanout-dev-uploads",
        "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
      ]);
    }
  });

  it("the work queue redrives to its DLQ after maxReceiveCount, and its DLQ keeps messages longer", () => {
    const queue = only(prod.resources, QUEUE, "size16").inputs;
    const dlq = only(prod.resources, QUEUE, "size16-dlq").inputs;
    expect(JSON.parse(String(queue.redrivePolicy))).toEqual({
      deadLetterTargetArn: "arn:aws:sqs:eu-west-1:222222222222:icon-fanout-prod-size16-dlq",
      maxReceiveCount: 5,
    });
    expect(queue.visibilityTimeoutSeconds).toBe(60);
    expect(Number(dlq.messageRetentionSeconds)).toBeGreaterThan(Number(queue.messageRetentionSeconds));
    for (const q of ofType(prod.resources, QUEUE)) expect(q.inputs.sqsManagedSseEnabled).toBe(true);
  });

  it("subscriptions deliver raw S3 events; those to this account's topic dead-letter what SNS cannot deliver", () => {
    const subscriptions = ofType(dev.resources, SUBSCRIPTION);
    expect(subscriptions).toHaveLength(3 * 2); // each default size's queue, to dev's topic and prod's
    for (const subscription of subscriptions) {
      expect(subscription.inputs).toMatchObject({ protocol: "sqs", rawMessageDelivery: true });
      const policy = only(dev.resources, QUEUE_POLICY, `${subscription.name.split("-from-")[0]}-policy`);
      expect(subscription.dependencies).toContain(policy.urn);
    }
    const redrives = ofType(dev.resources, SUBSCRIPTION).map((subscription) => [
      String(subscription.inputs.topic).split(":")[4],
      subscription.inputs.redrivePolicy === undefined
        ? undefined
        : JSON.parse(String(subscription.inputs.redrivePolicy)),
    ]);
    expect(redrives).toHaveLength(6);
    for (const [topicAccount, redrive] of redrives) {
      // SNS needs the dead-letter queue in the subscription's account; a subscription to prod's topic lives in prod's.
      expect(redrive).toEqual(
        topicAccount === "111111111111"
          ? { deadLetterTargetArn: "arn:aws:sqs:eu-west-1:111111111111:icon-fanout-dev-undelivered" }
          : undefined,
      );
    }
  });
});
