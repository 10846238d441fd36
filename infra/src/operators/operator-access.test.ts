/** What the operators' role may do, and who may assume it, decided by a real IAM engine on the rendered policies. */
import { describe, expect, it } from "vitest";
import { assumeRoleRequest, type Decision, decide } from "../../tooling/testing/access-decisions.js";
import { DEV, OTHER, PROD, PROD_BUCKET } from "../../tooling/testing/accounts.js";
import { only, type ProgramRun, policyOf, stackRun, trustOf } from "../../tooling/testing/stack-runs.js";

const OPERATOR = `arn:aws:iam::${PROD}:role/icon-fanout-prod-operators`;
const SSO_OPERATOR = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_IconOperators_0123456789abcdef`;
/** The same permission set's role where Identity Center puts no region in the path. */
const SSO_OPERATOR_NO_REGION = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IconOperators_0123456789abcdef`;
const queue = (name: string) => `arn:aws:sqs:eu-west-1:${PROD}:icon-fanout-prod-${name}`;
const service = (name: string) =>
  `arn:aws:ecs:eu-west-1:${PROD}:service/icon-fanout-prod/icon-fanout-prod-${name}`;

const prod = stackRun("prod");
const dev = stackRun("dev");

const policies = {
  bucket: policyOf(only(prod.resources, "aws:s3/bucketPolicy:BucketPolicy")),
  size16Queue: policyOf(only(prod.resources, "aws:sqs/queuePolicy:QueuePolicy", "size16-policy")),
  operatorRole: policyOf(only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "operator-role-access")),
  alarmTopic: policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "alarms-policy")),
};
const ALARM_TOPIC = prod.outputs.alarmTopicArn;

/** A request by the operators' role; S3 and SQS requests are also checked against the resource's own policy. */
async function operator(action: string, resource: string, context: Record<string, string> = {}) {
  const resourcePolicy = resource.startsWith(PROD_BUCKET)
    ? policies.bucket
    : resource === queue("size16")
      ? policies.size16Queue
      : resource === ALARM_TOPIC
        ? policies.alarmTopic
        : undefined;
  return decide({
    principal: OPERATOR,
    action,
    resource,
    resourceAccount: PROD,
    identityPolicies: [policies.operatorRole],
    ...(resourcePolicy ? { resourcePolicy } : {}),
    context,
  });
}

describe("the operators' role (prod)", () => {
  it.each<[string, string, string, Record<string, string>, Decision]>([
    ["list the sources", "s3:ListBucket", PROD_BUCKET, { "s3:prefix": "icons/" }, "Allowed"],
    [
      "list a folder of sources (--prefix)",
      "s3:ListBucket",
      PROD_BUCKET,
      { "s3:prefix": "icons/team/" },
      "Allowed",
    ],
    ["list a size's outputs", "s3:ListBucket", PROD_BUCKET, { "s3:prefix": "icons-size-64/" }, "Allowed"],
    ["read an output's metadata (HEAD)", "s3:GetObject", `${PROD_BUCKET}/icons-size-16/a.png`, {}, "Allowed"],
    ["enqueue to a size's queue", "sqs:SendMessage", queue("size16"), {}, "Allowed"],
    ["enqueue to another size's queue", "sqs:SendMessage", queue("size64"), {}, "Allowed"],
    ["read a queue's depth", "sqs:GetQueueAttributes", queue("size32"), {}, "Allowed"],
    ["read a dead-letter queue's depth", "sqs:GetQueueAttributes", queue("size32-dlq"), {}, "Allowed"],
    ["read a resizer service", "ecs:DescribeServices", service("resizer32"), {}, "Allowed"],
    ["read metrics", "cloudwatch:GetMetricData", "*", {}, "Allowed"],
    ["see who the alarms reach", "sns:ListSubscriptionsByTopic", ALARM_TOPIC, {}, "Allowed"],

    ["list the whole bucket", "s3:ListBucket", PROD_BUCKET, { "s3:prefix": "" }, "ImplicitlyDenied"],
    ["list another prefix", "s3:ListBucket", PROD_BUCKET, { "s3:prefix": "private/" }, "ImplicitlyDenied"],
    ["read a source", "s3:GetObject", `${PROD_BUCKET}/icons/a.png`, {}, "ImplicitlyDenied"],
    [
      "read outside the icon prefixes",
      "s3:GetObject",
      `${PROD_BUCKET}/private/a.txt`,
      {},
      "ImplicitlyDenied",
    ],
    [
      "read a size not configured",
      "s3:GetObject",
      `${PROD_BUCKET}/icons-size-128/a.png`,
      {},
      "ImplicitlyDenied",
    ],
    ["upload a source", "s3:PutObject", `${PROD_BUCKET}/icons/a.png`, {}, "ImplicitlyDenied"],
    ["overwrite an output", "s3:PutObject", `${PROD_BUCKET}/icons-size-16/a.png`, {}, "ImplicitlyDenied"],
    ["delete an output", "s3:DeleteObject", `${PROD_BUCKET}/icons-size-16/a.png`, {}, "ImplicitlyDenied"],
    ["send to a dead-letter queue", "sqs:SendMessage", queue("size16-dlq"), {}, "ImplicitlyDenied"],
    ["send to the undelivered queue", "sqs:SendMessage", queue("undelivered"), {}, "ImplicitlyDenied"],
    ["take a message", "sqs:ReceiveMessage", queue("size16"), {}, "ImplicitlyDenied"],
    ["delete a message", "sqs:DeleteMessage", queue("size16"), {}, "ImplicitlyDenied"],
    ["purge a queue", "sqs:PurgeQueue", queue("size16"), {}, "ImplicitlyDenied"],
    ["redrive dead letters", "sqs:StartMessageMoveTask", queue("size16-dlq"), {}, "ImplicitlyDenied"],
    ["change a service", "ecs:UpdateService", service("resizer16"), {}, "ImplicitlyDenied"],
    ["publish a metric", "cloudwatch:PutMetricData", "*", {}, "ImplicitlyDenied"],
    [
      "publish to the upload topic",
      "sns:Publish",
      `arn:aws:sns:eu-west-1:${PROD}:icon-fanout-prod-uploads`,
      {},
      "ImplicitlyDenied",
    ],
    [
      "list the upload topic's subscriptions",
      "sns:ListSubscriptionsByTopic",
      `arn:aws:sns:eu-west-1:${PROD}:icon-fanout-prod-uploads`,
      {},
      "ImplicitlyDenied",
    ],
    ["list every subscription of the account", "sns:ListSubscriptions", "*", {}, "ImplicitlyDenied"],
    ["subscribe to the alarms", "sns:Subscribe", ALARM_TOPIC, {}, "ImplicitlyDenied"],
    ["read the alarm topic's attributes", "sns:GetTopicAttributes", ALARM_TOPIC, {}, "ImplicitlyDenied"],
    ["publish an alarm", "sns:Publish", ALARM_TOPIC, {}, "ImplicitlyDenied"],
  ])("%s (%s on %s)", async (_name, action, resource, context, expected) => {
    expect(await operator(action, resource, context)).toBe(expected);
  });

  it("lists nothing without TLS", async () => {
    expect(
      await operator("s3:ListBucket", PROD_BUCKET, { "s3:prefix": "icons/", "aws:SecureTransport": "false" }),
    ).toBe("ExplicitlyDenied");
  });
});

describe("assuming the operators' role", () => {
  const assume = (run: ProgramRun, account: string, principal: string, granted = true) => {
    const role = `arn:aws:iam::${account}:role/icon-fanout-${account === PROD ? "prod" : "dev"}-operators`;
    const trust = trustOf(only(run.resources, "aws:iam/role:Role", "operator-role"));
    return decide(assumeRoleRequest(principal, role, trust, granted));
  };

  it.each<[string, () => Promise<Decision>, Decision]>([
    ["prod: the IconOperators permission set's role", () => assume(prod, PROD, SSO_OPERATOR), "Allowed"],
    [
      "prod: the IconOperators permission set's role without a region in its path",
      () => assume(prod, PROD, SSO_OPERATOR_NO_REGION),
      "Allowed",
    ],
    [
      "prod: another permission set's role whose name starts like IconOperators",
      () => assume(prod, PROD, SSO_OPERATOR_NO_REGION.replace("_IconOperators_", "_IconOperatorsReadOnly_")),
      "ImplicitlyDenied",
    ],
    [
      "prod: another role of the account",
      () => assume(prod, PROD, `arn:aws:iam::${PROD}:role/some-other-team`),
      "ImplicitlyDenied",
    ],
    [
      "prod: a role of another account with the same name pattern",
      () => assume(prod, PROD, SSO_OPERATOR.replace(PROD, OTHER)),
      "ImplicitlyDenied",
    ],
    [
      "dev: any role of the account its own policy allows",
      () => assume(dev, DEV, `arn:aws:iam::${DEV}:role/developer`),
      "Allowed",
    ],
    [
      "dev: a role of the account its own policy does not allow",
      () => assume(dev, DEV, `arn:aws:iam::${DEV}:role/developer`, false),
      "ImplicitlyDenied",
    ],
    ["dev: a role of prod's account", () => assume(dev, DEV, SSO_OPERATOR), "ImplicitlyDenied"],
  ])("%s → %s", async (_name, request, expected) => {
    expect(await request()).toBe(expected);
  });
});
