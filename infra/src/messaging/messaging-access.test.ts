/**
 * Who may publish to the upload topic, subscribe to it (and to the results topic) and deliver to the queues, decided by a real
 * IAM engine (@cloud-copilot/iam-simulate) on the exact policies the program renders for both stacks.
 */
import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  type Decision,
  decide,
  identityPolicy,
} from "../../tooling/testing/access-decisions.js";
import {
  DEV,
  DEV_ROLE,
  DEV_TOPIC,
  OTHER,
  OTHER_ROLE,
  PROD,
  PROD_BUCKET,
  PROD_TOPIC,
  REGION,
} from "../../tooling/testing/accounts.js";
import { only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const dev = stackRun("dev");
const policies = {
  prodTopic: policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy")),
  devTopic: policyOf(only(dev.resources, "aws:sns/topicPolicy:TopicPolicy", "uploads-policy")),
  prodQueue: policyOf(only(prod.resources, "aws:sqs/queuePolicy:QueuePolicy", "size16-policy")),
  devQueue: policyOf(only(dev.resources, "aws:sqs/queuePolicy:QueuePolicy", "size16-policy")),
  devUndelivered: policyOf(only(dev.resources, "aws:sqs/queuePolicy:QueuePolicy", "undelivered-policy")),
};

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

const RESULTS = {
  prod: `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-results`,
  dev: `arn:aws:sns:${REGION}:${DEV}:icon-fanout-dev-results`,
};
/** Both topics admit the same subscribers on the same conditions (`crossAccount.allowSubscribers`). */
const subscribable = [
  {
    topic: "uploads",
    prod: { arn: PROD_TOPIC, policy: policies.prodTopic },
    dev: { arn: DEV_TOPIC, policy: policies.devTopic },
  },
  {
    topic: "results",
    prod: {
      arn: RESULTS.prod,
      policy: policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy")),
    },
    dev: {
      arn: RESULTS.dev,
      policy: policyOf(only(dev.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy")),
    },
  },
];

describe.each(subscribable)("subscribing to prod's $topic topic", ({ prod: target, dev: devTarget }) => {
  const devQueue = `arn:aws:sqs:${REGION}:${DEV}:icon-fanout-dev-size16`;
  const to = (request: AccessRequest): AccessRequest => ({
    ...request,
    resource: target.arn,
    resourcePolicy: target.policy,
  });
  it.each<[string, () => AccessRequest, Decision]>([
    ["dev subscribes its own SQS queue", () => to(subscribe(DEV_ROLE, "sqs", devQueue)), "Allowed"],
    [
      "dev subscribes an HTTPS endpoint",
      () => to(subscribe(DEV_ROLE, "https", "https://example.com/hook")),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes an email address",
      () => to(subscribe(DEV_ROLE, "email", "someone@example.com")),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes a Lambda function",
      () => to(subscribe(DEV_ROLE, "lambda", `arn:aws:lambda:${REGION}:${DEV}:function:f`)),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes a queue of a third account",
      () => to(subscribe(DEV_ROLE, "sqs", `arn:aws:sqs:${REGION}:${OTHER}:exfiltrate`)),
      "ImplicitlyDenied",
    ],
    [
      "a third account subscribes its queue",
      () => to(subscribe(OTHER_ROLE, "sqs", `arn:aws:sqs:${REGION}:${OTHER}:q`)),
      "ImplicitlyDenied",
    ],
    [
      "dev subscribes its own SQS queue without TLS",
      () => {
        const request = to(subscribe(DEV_ROLE, "sqs", devQueue));
        return { ...request, context: { ...request.context, "aws:SecureTransport": "false" } };
      },
      "ExplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });

  it("prod cannot subscribe to dev's topic (dev allows no subscribers)", async () => {
    expect(
      await decide({
        ...subscribe(`arn:aws:iam::${PROD}:role/ops`, "sqs", `arn:aws:sqs:${REGION}:${PROD}:q`),
        resource: devTarget.arn,
        resourceAccount: DEV,
        resourcePolicy: devTarget.policy,
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
