/**
 * Who may do what, decided by a real IAM engine (@cloud-copilot/iam-simulate) on the exact
 * policies the program renders for both stacks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RecordedResource } from "../tooling/synth/mock-engine.js";
import {
  type AccessRequest,
  type Decision,
  decide,
  identityPolicy,
} from "../tooling/testing/access-decisions.js";
import { only, type ProgramRun, policyOf, runProgram, stackConfig } from "../tooling/testing/program-runs.js";
import type { PolicyDocument } from "./iam/policy-document.js";

const trustOf = (role: RecordedResource): PolicyDocument =>
  JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument;

const PROD = "222222222222";
const DEV = "111111111111";
const OTHER = "333333333333";
const REGION = "eu-west-1";
const PROD_BUCKET = "arn:aws:s3:::icon-fanout-prod-222222222222";
const PROD_TOPIC = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-uploads`;
const DEV_TOPIC = `arn:aws:sns:${REGION}:${DEV}:icon-fanout-dev-uploads`;
const ACCESS_POINT = `arn:aws:s3:${REGION}:${PROD}:accesspoint/icon-fanout-prod-designers`;
const DESIGNER = `arn:aws:iam::${PROD}:role/icon-fanout-prod-designers`;
const SSO_DESIGNER = `arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_IconDesigners_0123456789abcdef`;
const INTRUDER = `arn:aws:iam::${PROD}:role/some-other-team`;
const DEV_ROLE = `arn:aws:iam::${DEV}:role/icon-fanout-dev-resizer`;
const OTHER_ROLE = `arn:aws:iam::${OTHER}:role/attacker`;

const policies: Record<string, PolicyDocument> = {};
beforeAll(async () => {
  const prod: ProgramRun = await runProgram(stackConfig("prod"), "prod");
  const dev: ProgramRun = await runProgram(stackConfig("dev"), "dev");
  policies.bucket = policyOf(only(prod.resources, "aws:s3/bucketPolicy:BucketPolicy"));
  policies.accessPoint = policyOf(only(prod.resources, "aws:s3/accessPoint:AccessPoint"));
  policies.designerRole = policyOf(
    only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "designer-role-access"),
  );
  policies.prodDesignerTrust = trustOf(only(prod.resources, "aws:iam/role:Role", "designer-role"));
  policies.devDesignerTrust = trustOf(only(dev.resources, "aws:iam/role:Role", "designer-role"));
  policies.prodTopic = policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy"));
  policies.devTopic = policyOf(only(dev.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy"));
  policies.prodQueue = policyOf(only(prod.resources, "aws:sqs/queuePolicy:QueuePolicy", "size16-policy"));
  policies.devQueue = policyOf(only(dev.resources, "aws:sqs/queuePolicy:QueuePolicy", "size16-policy"));
  policies.devUndelivered = policyOf(
    only(dev.resources, "aws:sqs/queuePolicy:QueuePolicy", "undelivered-policy"),
  );
});

/**
 * A request through the designers' access point: S3 checks the access point policy and then the
 * bucket's. The designers' role brings its own grants; other principals bring none.
 */
async function throughAccessPoint(
  principal: string,
  action: string,
  key: string | { prefix: string },
  context: Record<string, string> = {},
): Promise<Decision> {
  const identityPolicies = principal === DESIGNER ? [policies.designerRole as PolicyDocument] : [];
  const listing = typeof key !== "string";
  const requestContext = { ...(listing ? { "s3:prefix": key.prefix } : {}), ...context };
  const unlistedContext = {
    "s3:DataAccessPointAccount": PROD,
    "s3:DataAccessPointArn": ACCESS_POINT,
    "s3:AccessPointNetworkOrigin": "Internet",
  };
  const viaAccessPoint = await decide({
    principal,
    action,
    resource: listing ? ACCESS_POINT : `${ACCESS_POINT}/object/${key}`,
    resourceAccount: PROD,
    resourcePolicy: policies.accessPoint,
    identityPolicies,
    context: { ...requestContext, ...unlistedContext },
  });
  const viaBucket = await decide({
    principal,
    action,
    resource: listing ? PROD_BUCKET : `${PROD_BUCKET}/${key}`,
    resourceAccount: PROD,
    resourcePolicy: policies.bucket,
    context: requestContext,
    unlistedContext,
  });
  if (viaBucket === "ExplicitlyDenied" || viaAccessPoint === "ExplicitlyDenied") return "ExplicitlyDenied";
  return viaAccessPoint === "Allowed" && viaBucket === "Allowed" ? "Allowed" : "ImplicitlyDenied";
}

const publish = (topic: "prodTopic" | "devTopic", context: Record<string, string>): AccessRequest => ({
  principal: "s3.amazonaws.com",
  action: "sns:Publish",
  resource: topic === "prodTopic" ? PROD_TOPIC : DEV_TOPIC,
  resourceAccount: topic === "prodTopic" ? PROD : DEV,
  resourcePolicy: policies[topic],
  context,
});

const subscribe = (principal: string, protocol: string, endpoint: string): AccessRequest => ({
  principal,
  action: "sns:Subscribe",
  resource: PROD_TOPIC,
  resourceAccount: PROD,
  resourcePolicy: policies.prodTopic,
  identityPolicies: [identityPolicy(["sns:Subscribe"], ["*"])],
  context: { "sns:Protocol": protocol, "sns:Endpoint": endpoint },
});

const deliver = (
  queue: "prodQueue" | "devQueue" | "devUndelivered",
  sourceArn: string,
  context = {},
): AccessRequest => {
  const account = queue === "prodQueue" ? PROD : DEV;
  const name = {
    prodQueue: "icon-fanout-prod-size16",
    devQueue: "icon-fanout-dev-size16",
    devUndelivered: "icon-fanout-dev-undelivered",
  }[queue];
  return {
    principal: "sns.amazonaws.com",
    action: "sqs:SendMessage",
    resource: `arn:aws:sqs:${REGION}:${account}:${name}`,
    resourceAccount: account,
    resourcePolicy: policies[queue],
    context: { "aws:SourceArn": sourceArn, "aws:SourceAccount": sourceArn.split(":")[4] ?? "", ...context },
  };
};

const readProdSource = (
  principal: string,
  key: string,
  context = {},
  action = "s3:GetObject",
): AccessRequest => ({
  principal,
  action,
  resource: `${PROD_BUCKET}/${key}`,
  resourceAccount: PROD,
  resourcePolicy: policies.bucket,
  identityPolicies: [identityPolicy([action], [`${PROD_BUCKET}/*`])],
  context,
});

describe("designers through the access point", () => {
  it.each<[string, string, string, string | { prefix: string }, Decision]>([
    ["upload a source", DESIGNER, "s3:PutObject", "icons/new/logo.png", "Allowed"],
    ["read a source", DESIGNER, "s3:GetObject", "icons/logo.png", "Allowed"],
    ["delete a source", DESIGNER, "s3:DeleteObject", "icons/logo.png", "Allowed"],
    ["read a resized output", DESIGNER, "s3:GetObject", "icons-size-16/logo.png", "Allowed"],
    [
      "read an output of a size not configured",
      DESIGNER,
      "s3:GetObject",
      "icons-size-128/logo.png",
      "ImplicitlyDenied",
    ],
    ["overwrite a resized output", DESIGNER, "s3:PutObject", "icons-size-16/logo.png", "ImplicitlyDenied"],
    ["delete a resized output", DESIGNER, "s3:DeleteObject", "icons-size-64/logo.png", "ImplicitlyDenied"],
    ["read outside the icon prefixes", DESIGNER, "s3:GetObject", "private/payroll.csv", "ImplicitlyDenied"],
    ["write outside the icon prefixes", DESIGNER, "s3:PutObject", "index.html", "ImplicitlyDenied"],
    ["list the sources", DESIGNER, "s3:ListBucket", { prefix: "icons/" }, "Allowed"],
    ["list one size's outputs", DESIGNER, "s3:ListBucket", { prefix: "icons-size-32/" }, "Allowed"],
    ["list the whole bucket", DESIGNER, "s3:ListBucket", { prefix: "" }, "ImplicitlyDenied"],
    ["list another prefix", DESIGNER, "s3:ListBucket", { prefix: "private/" }, "ImplicitlyDenied"],
    [
      "another role of the same account uploads",
      INTRUDER,
      "s3:PutObject",
      "icons/logo.png",
      "ImplicitlyDenied",
    ],
    ["another account uploads", OTHER_ROLE, "s3:PutObject", "icons/logo.png", "ImplicitlyDenied"],
  ])("%s (%s %s %o) → %s", async (_name, principal, action, key, expected) => {
    expect(await throughAccessPoint(principal, action, key)).toBe(expected);
  });

  it("a designer without TLS is refused", async () => {
    expect(
      await throughAccessPoint(DESIGNER, "s3:PutObject", "icons/a.png", { "aws:SecureTransport": "false" }),
    ).toBe("ExplicitlyDenied");
  });

  it("an access point of another account gets nothing from the bucket", async () => {
    expect(
      await decide({
        principal: OTHER_ROLE,
        action: "s3:GetObject",
        resource: `${PROD_BUCKET}/icons/logo.png`,
        resourceAccount: PROD,
        resourcePolicy: policies.bucket,
        identityPolicies: [identityPolicy(["s3:GetObject"], ["*"])],
        unlistedContext: { "s3:DataAccessPointAccount": OTHER },
      }),
    ).toBe("ImplicitlyDenied");
  });
});

describe("assuming the designers' role", () => {
  const assume = (
    principal: string,
    trust: "prodDesignerTrust" | "devDesignerTrust",
    granted = true,
  ): AccessRequest => {
    const account = trust === "prodDesignerTrust" ? PROD : DEV;
    const role = `arn:aws:iam::${account}:role/icon-fanout-${account === PROD ? "prod" : "dev"}-designers`;
    return {
      principal,
      action: "sts:AssumeRole",
      resource: role,
      resourceAccount: account,
      resourcePolicy: policies[trust],
      identityPolicies: granted ? [identityPolicy(["sts:AssumeRole"], [role])] : [],
    };
  };
  it.each<[string, () => AccessRequest, Decision]>([
    [
      "prod: the IconDesigners permission set's role",
      () => assume(SSO_DESIGNER, "prodDesignerTrust"),
      "Allowed",
    ],
    ["prod: another role of the account", () => assume(INTRUDER, "prodDesignerTrust"), "ImplicitlyDenied"],
    [
      "prod: a role of another account with the same name pattern",
      () => assume(SSO_DESIGNER.replace(PROD, OTHER), "prodDesignerTrust"),
      "ImplicitlyDenied",
    ],
    [
      "dev: any role of the account its own policy allows",
      () => assume(`arn:aws:iam::${DEV}:role/developer`, "devDesignerTrust"),
      "Allowed",
    ],
    [
      "dev: a role of the account its own policy does not allow",
      () => assume(`arn:aws:iam::${DEV}:role/developer`, "devDesignerTrust", false),
      "ImplicitlyDenied",
    ],
    ["dev: a role of prod's account", () => assume(SSO_DESIGNER, "devDesignerTrust"), "ImplicitlyDenied"],
  ])("%s → %s", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });
});

describe("the prod bucket and the shadowing dev account", () => {
  it.each<[string, AccessRequest | (() => AccessRequest), Decision]>([
    ["dev reads a source for shadow processing", () => readProdSource(DEV_ROLE, "icons/logo.png"), "Allowed"],
    ["dev reads a prod output", () => readProdSource(DEV_ROLE, "icons-size-16/logo.png"), "ImplicitlyDenied"],
    [
      "dev writes a source",
      () => readProdSource(DEV_ROLE, "icons/logo.png", {}, "s3:PutObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev writes an output",
      () => readProdSource(DEV_ROLE, "icons-size-16/a.png", {}, "s3:PutObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev deletes a source",
      () => readProdSource(DEV_ROLE, "icons/logo.png", {}, "s3:DeleteObject"),
      "ImplicitlyDenied",
    ],
    [
      "dev reads without TLS",
      () => readProdSource(DEV_ROLE, "icons/logo.png", { "aws:SecureTransport": "false" }),
      "ExplicitlyDenied",
    ],
    [
      "a third account reads a source",
      () => readProdSource(OTHER_ROLE, "icons/logo.png"),
      "ImplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(typeof request === "function" ? request() : request)).toBe(expected);
  });
});

describe("publishing to the upload topic", () => {
  it.each<[string, () => AccessRequest, Decision]>([
    [
      "prod's bucket publishes",
      () => publish("prodTopic", { "aws:SourceAccount": PROD, "aws:SourceArn": PROD_BUCKET }),
      "Allowed",
    ],
    [
      "another bucket in the same account (confused deputy)",
      () =>
        publish("prodTopic", {
          "aws:SourceAccount": PROD,
          "aws:SourceArn": "arn:aws:s3:::some-other-bucket",
        }),
      "ImplicitlyDenied",
    ],
    [
      "a bucket of the same name owned by another account",
      () => publish("prodTopic", { "aws:SourceAccount": OTHER, "aws:SourceArn": PROD_BUCKET }),
      "ImplicitlyDenied",
    ],
    ["S3 with no source context", () => publish("prodTopic", {}), "ImplicitlyDenied"],
    [
      "prod's bucket without TLS",
      () =>
        publish("prodTopic", {
          "aws:SourceAccount": PROD,
          "aws:SourceArn": PROD_BUCKET,
          "aws:SecureTransport": "false",
        }),
      "ExplicitlyDenied",
    ],
    [
      "dev's bucket publishes to prod's topic",
      () =>
        publish("prodTopic", {
          "aws:SourceAccount": DEV,
          "aws:SourceArn": "arn:aws:s3:::icon-fanout-dev-111111111111",
        }),
      "ImplicitlyDenied",
    ],
    [
      "dev's bucket publishes to dev's topic",
      () =>
        publish("devTopic", {
          "aws:SourceAccount": DEV,
          "aws:SourceArn": "arn:aws:s3:::icon-fanout-dev-111111111111",
        }),
      "Allowed",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });

  it("the dev account cannot publish to prod's topic", async () => {
    expect(
      await decide({
        principal: DEV_ROLE,
        action: "sns:Publish",
        resource: PROD_TOPIC,
        resourceAccount: PROD,
        resourcePolicy: policies.prodTopic,
        identityPolicies: [identityPolicy(["sns:Publish"], ["*"])],
      }),
    ).toBe("ImplicitlyDenied");
  });
});

describe("subscribing to prod's topic", () => {
  const devQueue = `arn:aws:sqs:${REGION}:${DEV}:icon-fanout-dev-size16`;
  it.each<[string, () => AccessRequest, Decision]>([
    ["dev subscribes its own SQS queue", () => subscribe(DEV_ROLE, "sqs", devQueue), "Allowed"],
    [
      "dev subscribes an HTTPS endpoint",
      () => subscribe(DEV_ROLE, "https", "https://example.com/hook"),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes an email address",
      () => subscribe(DEV_ROLE, "email", "someone@example.com"),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes a Lambda function",
      () => subscribe(DEV_ROLE, "lambda", `arn:aws:lambda:${REGION}:${DEV}:function:f`),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes a queue of a third account",
      () => subscribe(DEV_ROLE, "sqs", `arn:aws:sqs:${REGION}:${OTHER}:exfiltrate`),
      "ImplicitlyDenied",
    ],
    [
      "a third account subscribes its queue",
      () => subscribe(OTHER_ROLE, "sqs", `arn:aws:sqs:${REGION}:${OTHER}:q`),
      "ImplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });

  it("prod cannot subscribe to dev's topic (dev allows no subscribers)", async () => {
    expect(
      await decide({
        ...subscribe(`arn:aws:iam::${PROD}:role/ops`, "sqs", `arn:aws:sqs:${REGION}:${PROD}:q`),
        resource: DEV_TOPIC,
        resourceAccount: DEV,
        resourcePolicy: policies.devTopic,
      }),
    ).toBe("ImplicitlyDenied");
  });
});

describe("delivering to a size's queue", () => {
  it.each<[string, () => AccessRequest, Decision]>([
    ["dev's topic delivers to a dev queue", () => deliver("devQueue", DEV_TOPIC), "Allowed"],
    [
      "prod's topic delivers to a dev queue (shadow traffic)",
      () => deliver("devQueue", PROD_TOPIC),
      "Allowed",
    ],
    ["prod's topic delivers to a prod queue", () => deliver("prodQueue", PROD_TOPIC), "Allowed"],
    ["dev's topic delivers to a prod queue", () => deliver("prodQueue", DEV_TOPIC), "ImplicitlyDenied"],
    [
      "another topic of prod's account (confused deputy)",
      () => deliver("devQueue", `arn:aws:sns:${REGION}:${PROD}:someone-elses-topic`),
      "ImplicitlyDenied",
    ],
    [
      "a topic of a third account",
      () => deliver("devQueue", `arn:aws:sns:${REGION}:${OTHER}:uploads`),
      "ImplicitlyDenied",
    ],
    [
      "delivery without TLS",
      () => deliver("devQueue", DEV_TOPIC, { "aws:SecureTransport": "false" }),
      "ExplicitlyDenied",
    ],
    [
      "dev's topic dead-letters into dev's undelivered queue",
      () => deliver("devUndelivered", DEV_TOPIC),
      "Allowed",
    ],
    [
      "prod's topic sends to dev's undelivered queue (not its dead-letter queue: another account)",
      () => deliver("devUndelivered", PROD_TOPIC),
      "ImplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });

  it("a principal of a third account cannot send", async () => {
    expect(
      await decide({
        principal: OTHER_ROLE,
        action: "sqs:SendMessage",
        resource: `arn:aws:sqs:${REGION}:${DEV}:icon-fanout-dev-size16`,
        resourceAccount: DEV,
        resourcePolicy: policies.devQueue,
        identityPolicies: [identityPolicy(["sqs:SendMessage"], ["*"])],
      }),
    ).toBe("ImplicitlyDenied");
  });
});
