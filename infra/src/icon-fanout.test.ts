import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../tooling/synth/mock-engine.js";
import { ofType, only, type ProgramRun, runProgram, stackConfig } from "../tooling/testing/program-runs.js";
import type { PolicyDocument } from "./iam/policy-document.js";

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

/** Every `Principal.AWS` that a resource policy or a role's trust policy of `run` names. */
function awsPrincipalsNamed(run: ProgramRun): string[] {
  const documents = run.resources.flatMap((resource) =>
    [resource.inputs.policy, resource.inputs.assumeRolePolicy]
      .filter((text): text is string => typeof text === "string")
      .map((text) => JSON.parse(text) as Partial<PolicyDocument>),
  );
  return documents.flatMap((document) =>
    (document.Statement ?? []).flatMap((statement) =>
      typeof statement.Principal === "object" ? [statement.Principal.AWS ?? []].flat() : [],
    ),
  );
}

describe("designers", () => {
  it.each(["prod", "dev"] as const)(
    "%s names no role or user that must exist before the deploy, only accounts (it deploys into an empty account)",
    (stack) => {
      const named = awsPrincipalsNamed(stack === "prod" ? prod : dev);
      expect(named.length).toBeGreaterThan(0);
      expect(
        named.filter((principal) => principal !== "*" && !/^arn:aws:iam::\d{12}:root$/.test(principal)),
      ).toEqual([]);
    },
  );

  it.each([
    ["prod", "222222222222"],
    ["dev", "111111111111"],
  ] as const)("%s creates its designers' role, which its access point admits", (stack, account) => {
    const run = stack === "prod" ? prod : dev;
    const role = only(run.resources, "aws:iam/role:Role", "designer-role");
    expect(role.inputs).toMatchObject({ name: `icon-fanout-${stack}-designers`, maxSessionDuration: 3600 });
    const roleArn = `arn:aws:iam::${account}:role/icon-fanout-${stack}-designers`;
    expect(run.outputs.designerRoleArn).toBe(roleArn);
    const accessPoint = JSON.parse(
      String(only(run.resources, "aws:s3/accessPoint:AccessPoint").inputs.policy),
    ) as PolicyDocument;
    const admitted = accessPoint.Statement.map(
      (statement) => statement.Condition?.ArnEquals?.["aws:PrincipalArn"],
    );
    expect(admitted).toEqual([roleArn, roleArn, roleArn]);
  });

  it("admits existing principals by name, and creates no role when told not to", async () => {
    const existing = "arn:aws:iam::222222222222:role/brand-team";
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:designers": { createRole: false, principalArns: [existing] } }),
      "prod",
    );
    expect(ofType(run.resources, "aws:iam/role:Role").map((role) => role.name)).not.toContain(
      "icon-fanout-prod-designer-role",
    );
    const accessPoint = JSON.parse(
      String(only(run.resources, "aws:s3/accessPoint:AccessPoint").inputs.policy),
    ) as PolicyDocument;
    expect(accessPoint.Statement.map((statement) => statement.Principal)).toEqual([
      { AWS: [existing] },
      { AWS: [existing] },
      { AWS: [existing] },
    ]);
    expect(run.outputs.designerRoleArn).toBeUndefined();
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
      designerRoleArn: "arn:aws:iam::222222222222:role/icon-fanout-prod-designers",
      operatorRoleArn: "arn:aws:iam::222222222222:role/icon-fanout-prod-operators",
      topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
      undeliveredQueueUrl: "https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-undelivered",
      sizes: [16, 32, 64].map((size) => ({
        size,
        queueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}`,
        deadLetterQueueUrl: `https://sqs.eu-west-1.amazonaws.com/222222222222/icon-fanout-prod-size${size}-dlq`,
        serviceName: `icon-fanout-prod-resizer${size}`,
      })),
      keyLayout: { inputPrefix: "icons/", outputPrefix: "icons-size-" },
      clusterName: "icon-fanout-prod",
      alarmTopicArn: expect.stringMatching(
        /^arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-alarms-[0-9a-f]{7}$/,
      ),
    });
  });
});
