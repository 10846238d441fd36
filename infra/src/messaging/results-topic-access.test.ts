/**
 * Who may publish to and subscribe to the results topic, decided by a real IAM engine
 * (@cloud-copilot/iam-simulate) on the topic policy and the resizer's role policy the program renders.
 */
import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  type Decision,
  decide,
  identityPolicy,
} from "../../tooling/testing/access-decisions.js";
import { DEV, DEV_ROLE, OTHER, OTHER_ROLE, PROD, REGION } from "../../tooling/testing/accounts.js";
import { only, policyOf, roleArn, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const dev = stackRun("dev");
const PROD_RESULTS = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-results`;
const DEV_RESULTS = `arn:aws:sns:${REGION}:${DEV}:icon-fanout-dev-results`;
const prodPolicy = policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy"));
const devPolicy = policyOf(only(dev.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy"));
const resizerRole = roleArn(prod, PROD, "icon-fanout-prod-resizer16-task");
const resizerPolicy = policyOf(
  only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "icon-fanout-prod-resizer16-task"),
);

const publish = (principal: string, identity = [resizerPolicy], context = {}): AccessRequest => ({
  principal,
  action: "sns:Publish",
  resource: PROD_RESULTS,
  resourceAccount: PROD,
  resourcePolicy: prodPolicy,
  identityPolicies: identity,
  context,
});

const subscribe = (principal: string, protocol: string, endpoint: string): AccessRequest => ({
  principal,
  action: "sns:Subscribe",
  resource: PROD_RESULTS,
  resourceAccount: PROD,
  resourcePolicy: prodPolicy,
  identityPolicies: [identityPolicy(["sns:Subscribe"], ["*"])],
  context: { "sns:Protocol": protocol, "sns:Endpoint": endpoint },
});

describe("the results topic", () => {
  it.each([
    [prod, "icon-fanout-prod-results"],
    [dev, "icon-fanout-dev-results"],
  ])("is one standard topic per stack, named for it", (run, name) => {
    const topics = run.resources.filter(
      (resource) => resource.type === "aws:sns/topic:Topic" && resource.name.endsWith("-results"),
    );
    expect(topics.map((topic) => [topic.inputs.name, topic.inputs.fifoTopic ?? false])).toEqual([
      [name, false],
    ]);
  });
});

describe("publishing to prod's results topic", () => {
  it.each<[string, () => AccessRequest, Decision]>([
    ["prod's resizer publishes", () => publish(resizerRole), "Allowed"],
    [
      "prod's resizer publishes over plain HTTP",
      () => publish(resizerRole, [resizerPolicy], { "aws:SecureTransport": "false" }),
      "ExplicitlyDenied",
    ],
    [
      "a dev role allowed sns:Publish on * by its own account",
      () => publish(DEV_ROLE, [identityPolicy(["sns:Publish"], ["*"])]),
      "ImplicitlyDenied",
    ],
    [
      "a third account's role allowed sns:Publish on *",
      () => publish(OTHER_ROLE, [identityPolicy(["sns:Publish"], ["*"])]),
      "ImplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });
});

describe("subscribing to prod's results topic (crossAccount.allowSubscribers lists dev)", () => {
  const devQueue = `arn:aws:sqs:${REGION}:${DEV}:icon-cache-invalidations`;
  it.each<[string, () => AccessRequest, Decision]>([
    ["dev subscribes its own SQS queue", () => subscribe(DEV_ROLE, "sqs", devQueue), "Allowed"],
    [
      "dev subscribes an HTTPS endpoint",
      () => subscribe(DEV_ROLE, "https", "https://example.com/hook"),
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
    [
      "dev subscribes its queue over plain HTTP",
      () => ({
        ...subscribe(DEV_ROLE, "sqs", devQueue),
        context: { "sns:Protocol": "sqs", "sns:Endpoint": devQueue, "aws:SecureTransport": "false" },
      }),
      "ExplicitlyDenied",
    ],
  ])("%s → $2", async (_name, request, expected) => {
    expect(await decide(request())).toBe(expected);
  });

  it("prod cannot subscribe to dev's results topic (dev allows no subscribers)", async () => {
    expect(
      await decide({
        ...subscribe(`arn:aws:iam::${PROD}:role/ops`, "sqs", `arn:aws:sqs:${REGION}:${PROD}:q`),
        resource: DEV_RESULTS,
        resourceAccount: DEV,
        resourcePolicy: devPolicy,
      }),
    ).toBe("ImplicitlyDenied");
  });
});
