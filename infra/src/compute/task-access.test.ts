/** What the task roles may do, decided by a real IAM engine on the identity policies the program renders. */
import { describe, expect, it } from "vitest";
import { type Decision, decide } from "../../tooling/testing/access-decisions.js";
import { DEV, DEV_BUCKET, PROD, PROD_BUCKET } from "../../tooling/testing/accounts.js";
import type { ProgramRun } from "../../tooling/testing/program-runs.js";
import { only, policyOf, roleArn, stackRun } from "../../tooling/testing/stack-runs.js";

const queue = (account: string, name: string) => `arn:aws:sqs:eu-west-1:${account}:${name}`;

const prod = stackRun("prod");
const dev = stackRun("dev");

const rolePolicy = (run: ProgramRun, suffix: string) =>
  policyOf(only(run.resources, "aws:iam/rolePolicy:RolePolicy", suffix));

async function can(
  run: ProgramRun,
  role: string,
  action: string,
  resource: string,
  account: string,
  context: Record<string, string> = {},
): Promise<Decision> {
  return decide({
    principal: roleArn(run, account, `${role}-task`),
    action,
    resource,
    resourceAccount: resource.startsWith("arn:aws:s3:::icon-fanout-prod") ? PROD : account,
    identityPolicies: [rolePolicy(run, `${role}-task`)],
    // Across accounts the bucket's own policy decides too: use the one prod renders.
    ...(account !== PROD && resource.startsWith(PROD_BUCKET)
      ? {
          resourcePolicy: policyOf(only(prod.resources, "aws:s3/bucketPolicy:BucketPolicy")),
        }
      : {}),
    context,
  });
}

describe("the resizer of size 16 (prod)", () => {
  const resizer = (action: string, resource: string) =>
    can(prod, "icon-fanout-prod-resizer16", action, resource, PROD);
  it.each<[string, string, Decision]>([
    ["s3:GetObject", `${PROD_BUCKET}/icons/a.png`, "Allowed"],
    ["s3:PutObject", `${PROD_BUCKET}/icons-size-16/a.png`, "Allowed"],
    ["s3:DeleteObject", `${PROD_BUCKET}/icons-size-16/a.png`, "Allowed"],
    ["s3:ListBucket", PROD_BUCKET, "Allowed"],
    ["sqs:ReceiveMessage", queue(PROD, "icon-fanout-prod-size16"), "Allowed"],
    ["sqs:DeleteMessage", queue(PROD, "icon-fanout-prod-size16"), "Allowed"],
    ["sqs:ChangeMessageVisibility", queue(PROD, "icon-fanout-prod-size16"), "Allowed"],
    ["sqs:SendMessage", queue(PROD, "icon-fanout-prod-size16-dlq"), "Allowed"],
    [
      "ecs:UpdateTaskProtection",
      `arn:aws:ecs:eu-west-1:${PROD}:task/icon-fanout-prod/0123456789abcdef`,
      "Allowed",
    ],
    ["s3:PutObject", `${PROD_BUCKET}/icons/a.png`, "ImplicitlyDenied"],
    ["s3:DeleteObject", `${PROD_BUCKET}/icons/a.png`, "ImplicitlyDenied"],
    ["s3:PutObject", `${PROD_BUCKET}/icons-size-32/a.png`, "ImplicitlyDenied"],
    ["s3:DeleteObject", `${PROD_BUCKET}/icons-size-64/a.png`, "ImplicitlyDenied"],
    ["s3:GetObject", `${PROD_BUCKET}/private/secret.txt`, "ImplicitlyDenied"],
    ["s3:PutObject", "arn:aws:s3:::someone-elses-bucket/icons-size-16/a.png", "ImplicitlyDenied"],
    ["sqs:ReceiveMessage", queue(PROD, "icon-fanout-prod-size32"), "ImplicitlyDenied"],
    ["sqs:DeleteMessage", queue(PROD, "icon-fanout-prod-size32"), "ImplicitlyDenied"],
    ["sqs:SendMessage", queue(PROD, "icon-fanout-prod-size16"), "ImplicitlyDenied"],
    ["sqs:SendMessage", queue(PROD, "icon-fanout-prod-size32-dlq"), "ImplicitlyDenied"],
    ["sqs:PurgeQueue", queue(PROD, "icon-fanout-prod-size16"), "ImplicitlyDenied"],
    [
      "ecs:UpdateTaskProtection",
      `arn:aws:ecs:eu-west-1:${PROD}:task/other-cluster/0123456789abcdef`,
      "ImplicitlyDenied",
    ],
  ])("%s on %s → %s", async (action, resource, expected) => {
    expect(await resizer(action, resource)).toBe(expected);
  });
});

describe("the shadowing resizer (dev)", () => {
  const resizer = (action: string, resource: string) =>
    can(dev, "icon-fanout-dev-resizer16", action, resource, DEV);
  it.each<[string, string, Decision]>([
    ["s3:GetObject", `${PROD_BUCKET}/icons/a.png`, "Allowed"],
    ["s3:GetObject", `${DEV_BUCKET}/icons/a.png`, "Allowed"],
    ["s3:PutObject", `${DEV_BUCKET}/icons-size-16/a.png`, "Allowed"],
    ["s3:PutObject", `${PROD_BUCKET}/icons-size-16/a.png`, "ImplicitlyDenied"],
    ["s3:GetObject", `${PROD_BUCKET}/icons-size-16/a.png`, "ImplicitlyDenied"],
  ])("%s on %s → %s", async (action, resource, expected) => {
    expect(await resizer(action, resource)).toBe(expected);
  });
});

describe("the metric publisher (prod)", () => {
  const publisher = (action: string, resource: string, context: Record<string, string> = {}) =>
    can(prod, "icon-fanout-prod-metric-publisher", action, resource, PROD, context);
  const service = (name: string) => `arn:aws:ecs:eu-west-1:${PROD}:service/icon-fanout-prod/${name}`;
  it.each<[string, string, Record<string, string>, Decision]>([
    ["sqs:GetQueueAttributes", queue(PROD, "icon-fanout-prod-size64"), {}, "Allowed"],
    ["ecs:DescribeServices", service("icon-fanout-prod-resizer32"), {}, "Allowed"],
    ["cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "Service/ImageResize" }, "Allowed"],
    ["cloudwatch:PutMetricData", "*", { "cloudwatch:namespace": "AWS/EC2" }, "ImplicitlyDenied"],
    ["s3:GetObject", `${PROD_BUCKET}/icons/a.png`, {}, "ImplicitlyDenied"],
    ["sqs:ReceiveMessage", queue(PROD, "icon-fanout-prod-size16"), {}, "ImplicitlyDenied"],
    ["ecs:UpdateService", service("icon-fanout-prod-resizer16"), {}, "ImplicitlyDenied"],
    ["ecs:DescribeServices", service("some-other-service"), {}, "ImplicitlyDenied"],
    ["application-autoscaling:RegisterScalableTarget", "*", {}, "ImplicitlyDenied"],
  ])("%s on %s → %s", async (action, resource, context, expected) => {
    expect(await publisher(action, resource, context)).toBe(expected);
  });
});
