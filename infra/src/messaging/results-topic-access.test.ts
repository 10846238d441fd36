/**
 * Who may publish to the results topic, decided by a real IAM engine (@cloud-copilot/iam-simulate)
 * on the topic policy and the resizer's role policy the program renders; who may subscribe is
 * tested with the uploads topic's subscribers in messaging-access.test.ts.
 */
import { describe, expect, it } from "vitest";
import {
  type AccessRequest,
  type Decision,
  decide,
  identityPolicy,
} from "../../tooling/testing/access-decisions.js";
import { DEV_ROLE, OTHER_ROLE, PROD, REGION } from "../../tooling/testing/accounts.js";
import { only, policyOf, roleArn, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const dev = stackRun("dev");
const PROD_RESULTS = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-results`;
const prodPolicy = policyOf(only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy"));
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
