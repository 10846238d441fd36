import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "./synth/mock-engine.js";
import { ofType, only, type ProgramRun, runProgram, stackConfig } from "./test-program.js";

const QUEUE = "aws:sqs/queue:Queue";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";

let prod: ProgramRun;
let dev: ProgramRun;
beforeAll(async () => {
  prod = await runProgram(stackConfig("prod"), "prod");
  dev = await runProgram(stackConfig("dev"), "dev");
});

const childrenOf = (run: ProgramRun, parent: RecordedResource) =>
  run.resources.filter((r) => r.parent === parent.urn);

describe("per size", () => {
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

  it("subscriptions deliver raw S3 events and dead-letter what SNS cannot deliver", () => {
    for (const subscription of ofType(dev.resources, SUBSCRIPTION)) {
      expect(subscription.inputs).toMatchObject({ protocol: "sqs", rawMessageDelivery: true });
      expect(JSON.parse(String(subscription.inputs.redrivePolicy))).toEqual({
        deadLetterTargetArn: "arn:aws:sqs:eu-west-1:111111111111:icon-fanout-dev-undelivered",
      });
      const policy = only(dev.resources, QUEUE_POLICY, `${subscription.name.split("-from-")[0]}-policy`);
      expect(subscription.dependencies).toContain(policy.urn);
    }
  });

  it("follows the configured sizes", async () => {
    const run = await runProgram(stackConfig("prod", { "icon-fanout:iconSizes": [24, 48, 96, 128] }), "prod");
    expect(ofType(run.resources, "icon-fanout:messaging:SizeQueue").map((r) => r.name)).toEqual(
      [128, 24, 48, 96].map((size) => `icon-fanout-prod-size${size}`),
    );
    expect(run.outputs.sizes.map((s) => s.size)).toEqual([24, 48, 96, 128]);
  });
});

describe("bucket and notifications", () => {
  it("blocks all public access, enforces ownership, encrypts with SSE-S3 and keeps versions", () => {
    expect(
      only(prod.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      only(prod.resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule,
    ).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(
      only(
        prod.resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    const lifecycle = only(
      prod.resources,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    );
    expect(lifecycle.inputs.rules).toContainEqual(
      expect.objectContaining({ noncurrentVersionExpiration: { noncurrentDays: 30 } }),
    );
    expect(
      only(prod.resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
  });

  it("leaves versioning off when no retention is configured", async () => {
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:bucket": { noncurrentVersionRetentionDays: 0 } }),
      "prod",
    );
    expect(ofType(run.resources, "aws:s3/bucketVersioning:BucketVersioning")).toHaveLength(0);
  });

  it("announces creations and removals under the input prefix, after the topic policy exists", () => {
    const notification = only(prod.resources, "aws:s3/bucketNotification:BucketNotification");
    expect(notification.inputs.topics).toEqual([
      {
        id: "icon-uploads",
        topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
        events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
        filterPrefix: "icons/",
      },
    ]);
    expect(notification.dependencies).toContain(
      only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy").urn,
    );
  });
});

describe("names and outputs", () => {
  it("derives every child's name from its parent component's name", () => {
    for (const run of [prod, dev]) {
      const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
      for (const resource of run.resources) {
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        if (parent)
          expect(resource.name.startsWith(parent.name), `${resource.name} under ${parent.name}`).toBe(true);
      }
    }
  });

  it("gives the topic and bucket the fixed names other stacks refer to", () => {
    expect(prod.outputs.topicArn).toBe(stackConfig("dev").crossAccount.shadowFrom?.topicArn);
    expect(prod.outputs.bucketName).toBe(stackConfig("dev").crossAccount.shadowFrom?.bucketName);
  });

  it("exports the typed stack outputs", () => {
    expect(prod.outputs).toEqual({
      bucketName: "icon-fanout-prod-222222222222",
      accessPointArn: "arn:aws:s3:eu-west-1:222222222222:accesspoint/icon-fanout-prod-designers",
      accessPointAlias: expect.stringMatching(/^icon-fanout-prod-designers-[0-9a-f]+-s3alias$/),
      topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
      undeliveredQueueUrl: "https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-undelivered",
      sizes: [16, 32, 64].map((size) => ({
        size,
        queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
        deadLetterQueueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}-dlq`,
        serviceName: `icon-fanout-prod-resizer${size}`,
      })),
      clusterName: "icon-fanout-prod",
      alarmTopicArn: expect.stringMatching(
        /^arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-alarms-[0-9a-f]{7}$/,
      ),
    });
  });
});
