import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../tooling/testing/program-runs.js";
import { ofType, type ProgramRun, stackRun } from "../tooling/testing/stack-runs.js";
import type { PolicyDocument } from "./iam/policy-document.js";

const prod = stackRun("prod");
const dev = stackRun("dev");

describe("one lane per size", () => {
  it("gives each configured size its own queue and service, and exports them in the configured order", async () => {
    const sizes = [96, 24, 128, 48];
    const run = await runProgram(stackConfig("prod", { "icon-fanout:iconSizes": sizes }), "prod");
    expect(ofType(run.resources, "icon-fanout:messaging:SizeQueue").map((r) => r.name)).toEqual(
      [128, 24, 48, 96].map((size) => `icon-fanout-prod-size${size}`),
    );
    expect(
      run.outputs.sizes.map(({ size, queueUrl, serviceName }) => [
        size,
        queueUrl.split("/").pop(),
        serviceName,
      ]),
    ).toEqual(sizes.map((size) => [size, `icon-fanout-prod-size${size}`, `icon-fanout-prod-resizer${size}`]));
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

describe("deploying into an empty account", () => {
  it.each(["prod", "dev"] as const)(
    "%s names no role or user that must exist before the deploy, only accounts",
    (stack) => {
      const named = awsPrincipalsNamed(stack === "prod" ? prod : dev);
      expect(named.length).toBeGreaterThan(0);
      expect(
        named.filter((principal) => principal !== "*" && !/^arn:aws:iam::\d{12}:root$/.test(principal)),
      ).toEqual([]);
    },
  );
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
      maxSourceBytes: 10 * 1024 * 1024,
    });
  });
});
