import { beforeAll, describe, expect, it } from "vitest";
import type { PolicyDocument } from "./iam/policy-document.js";
import { policyViolations, RESOURCE_POLICY_TYPES } from "./iam/policy-rules.js";
import type { RecordedResource } from "./synth/mock-engine.js";
import { type ProgramRun, runProgram, stackConfig } from "./test-program.js";

let runs: Record<string, ProgramRun>;
beforeAll(async () => {
  runs = {
    prod: await runProgram(stackConfig("prod"), "prod"),
    dev: await runProgram(stackConfig("dev"), "dev"),
  };
});

const fake = (type: string, policy: PolicyDocument): RecordedResource => ({
  type,
  name: "fake",
  urn: "urn:fake",
  parent: null,
  inputs: { policy: JSON.stringify(policy) },
  dependencies: [],
  ignoreChanges: [],
});

describe("policy invariants over every rendered resource", () => {
  it.each(["prod", "dev"])(
    "%s: every service principal carries a source condition; no wildcard identity grants",
    (stack) => {
      expect(policyViolations(runs[stack]?.resources ?? [])).toEqual([]);
    },
  );

  it.each(["prod", "dev"])("%s: every resource policy refuses requests without TLS", (stack) => {
    const withPolicy = (runs[stack]?.resources ?? []).filter(
      (r) => RESOURCE_POLICY_TYPES.has(r.type) && typeof r.inputs.policy === "string",
    );
    expect(withPolicy.length).toBeGreaterThanOrEqual(5);
    for (const resource of withPolicy) {
      if (resource.type === "aws:s3/accessPoint:AccessPoint") continue; // the bucket policy's deny covers access points
      const document = JSON.parse(String(resource.inputs.policy)) as PolicyDocument;
      expect(
        document.Statement.map((s) => s.Sid),
        resource.name,
      ).toContain("DenyInsecureTransport");
    }
  });

  it.each(["prod", "dev"])("%s: every queue has a redrive policy or is a dead-letter queue", (stack) => {
    const queues = (runs[stack]?.resources ?? []).filter((r) => r.type === "aws:sqs/queue:Queue");
    for (const queue of queues) {
      const name = String(queue.inputs.name);
      const terminal = name.endsWith("-dlq") || name.endsWith("-undelivered");
      expect(terminal || typeof queue.inputs.redrivePolicy === "string", name).toBe(true);
    }
  });

  it("catches a service principal without a source condition", () => {
    const bad = fake("aws:sns/topicPolicy:TopicPolicy", {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Open",
          Effect: "Allow",
          Principal: { Service: "s3.amazonaws.com" },
          Action: "sns:Publish",
          Resource: "arn:aws:sns:eu-west-1:1:t",
        },
      ],
    });
    expect(policyViolations([bad])).toEqual([
      {
        resource: "fake",
        sid: "Open",
        rule: expect.stringMatching(/service principal s3.amazonaws.com without a source condition/),
      },
    ]);
  });

  it("catches wildcard actions and resources in identity policies", () => {
    const bad = fake("aws:iam/rolePolicy:RolePolicy", {
      Version: "2012-10-17",
      Statement: [
        { Sid: "All", Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" },
        { Sid: "Service", Effect: "Allow", Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:1:q" },
        { Sid: "Anywhere", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        { Sid: "Metrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" },
      ],
    });
    expect(policyViolations([bad]).map((v) => v.sid)).toEqual(["All", "Service", "Anywhere"]);
  });
});
