/** What the designers' and operators' roles may do to listen to results, decided by a real IAM engine on the rendered policies. */
import { describe, expect, it } from "vitest";
import { type Decision, decide } from "../../tooling/testing/access-decisions.js";
import { OTHER, PROD, REGION } from "../../tooling/testing/accounts.js";
import { only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");
const ROLES = {
  designers: {
    arn: `arn:aws:iam::${PROD}:role/icon-fanout-prod-designers`,
    policy: policyOf(only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "designer-role-access")),
  },
  operators: {
    arn: `arn:aws:iam::${PROD}:role/icon-fanout-prod-operators`,
    policy: policyOf(only(prod.resources, "aws:iam/rolePolicy:RolePolicy", "operator-role-access")),
  },
};
/** The results topic's own policy: a request on the topic must pass it as well as the role's. */
const RESULTS_TOPIC_POLICY = policyOf(
  only(prod.resources, "aws:sns/topicPolicy:TopicPolicy", "results-policy"),
);
const queue = (name: string, account = PROD) => `arn:aws:sqs:${REGION}:${account}:${name}`;
const LISTENER = queue("icon-fanout-prod-listen-0a1b2c3d4e5f");
const RESULTS = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-results`;
const UPLOADS = `arn:aws:sns:${REGION}:${PROD}:icon-fanout-prod-uploads`;
const subscribing = (endpoint: string, protocol = "sqs") => ({
  "sns:Endpoint": endpoint,
  "sns:Protocol": protocol,
});

const CASES: [string, string, string, Record<string, string>, Decision][] = [
  ["create a listener queue", "sqs:CreateQueue", LISTENER, {}, "Allowed"],
  ["set its queue policy", "sqs:SetQueueAttributes", LISTENER, {}, "Allowed"],
  ["tag it with its creation time", "sqs:TagQueue", LISTENER, {}, "Allowed"],
  ["read a listener queue's tags", "sqs:ListQueueTags", LISTENER, {}, "Allowed"],
  ["receive from it", "sqs:ReceiveMessage", LISTENER, {}, "Allowed"],
  ["delete what it received", "sqs:DeleteMessage", LISTENER, {}, "Allowed"],
  ["delete it", "sqs:DeleteQueue", LISTENER, {}, "Allowed"],
  ["list queues to find leftovers", "sqs:ListQueues", "*", {}, "Allowed"],
  [
    "subscribe a listener queue to the results topic",
    "sns:Subscribe",
    RESULTS,
    subscribing(LISTENER),
    "Allowed",
  ],
  ["unsubscribe from the results topic", "sns:Unsubscribe", RESULTS, {}, "Allowed"],
  ["list the results topic's subscriptions", "sns:ListSubscriptionsByTopic", RESULTS, {}, "Allowed"],

  [
    "create a queue under another name",
    "sqs:CreateQueue",
    queue("icon-fanout-prod-mine"),
    {},
    "ImplicitlyDenied",
  ],
  [
    "create another stack's listener queue",
    "sqs:CreateQueue",
    queue("icon-fanout-dev-listen-0a1b"),
    {},
    "ImplicitlyDenied",
  ],
  [
    "create a listener queue in another account",
    "sqs:CreateQueue",
    queue("icon-fanout-prod-listen-0a1b", OTHER),
    {},
    "ImplicitlyDenied",
  ],
  [
    "receive from a size queue",
    "sqs:ReceiveMessage",
    queue("icon-fanout-prod-size16"),
    {},
    "ImplicitlyDenied",
  ],
  ["delete a size queue", "sqs:DeleteQueue", queue("icon-fanout-prod-size16"), {}, "ImplicitlyDenied"],
  [
    "change a size queue's policy",
    "sqs:SetQueueAttributes",
    queue("icon-fanout-prod-size16"),
    {},
    "ImplicitlyDenied",
  ],
  ["send to a listener queue", "sqs:SendMessage", LISTENER, {}, "ImplicitlyDenied"],
  ["purge a listener queue", "sqs:PurgeQueue", LISTENER, {}, "ImplicitlyDenied"],
  [
    "subscribe a listener queue to the upload topic",
    "sns:Subscribe",
    UPLOADS,
    subscribing(LISTENER),
    "ImplicitlyDenied",
  ],
  [
    "subscribe a size queue to the results topic",
    "sns:Subscribe",
    RESULTS,
    subscribing(queue("icon-fanout-prod-size16")),
    "ImplicitlyDenied",
  ],
  [
    "subscribe another account's queue named like a listener",
    "sns:Subscribe",
    RESULTS,
    subscribing(queue("icon-fanout-prod-listen-0a1b", OTHER)),
    "ImplicitlyDenied",
  ],
  [
    "subscribe an email address",
    "sns:Subscribe",
    RESULTS,
    subscribing("someone@example.com", "email"),
    "ImplicitlyDenied",
  ],
  [
    "subscribe an https endpoint",
    "sns:Subscribe",
    RESULTS,
    subscribing("https://example.com/hook", "https"),
    "ImplicitlyDenied",
  ],
  ["publish a results event", "sns:Publish", RESULTS, {}, "ImplicitlyDenied"],
  ["change the results topic's policy", "sns:SetTopicAttributes", RESULTS, {}, "ImplicitlyDenied"],
  ["unsubscribe from the upload topic", "sns:Unsubscribe", UPLOADS, {}, "ImplicitlyDenied"],
];

/**
 * The results topic's own policy for requests on it; another account's resource admits the role
 * outright, so that only the role's own policy can refuse it.
 */
function resourcePolicyFor(principal: string, action: string, resource: string, account: string) {
  if (resource === RESULTS) return { resourcePolicy: RESULTS_TOPIC_POLICY };
  if (account === PROD) return {};
  const admit = {
    Sid: "AdmitTheRole",
    Effect: "Allow" as const,
    Principal: { AWS: principal },
    Action: action,
    Resource: resource,
  };
  return { resourcePolicy: { Version: "2012-10-17" as const, Statement: [admit] } };
}

describe.each(Object.entries(ROLES))("the %s' role listening to results (prod)", (_role, { arn, policy }) => {
  it.each(CASES)("%s (%s on %s)", async (_name, action, resource, context, expected) => {
    const account = /^arn:aws:\w+:[\w-]*:(\d{12}):/.exec(resource)?.[1] ?? PROD;
    expect(
      await decide({
        principal: arn,
        action,
        resource,
        resourceAccount: account,
        identityPolicies: [policy],
        ...resourcePolicyFor(arn, action, resource, account),
        context,
      }),
    ).toBe(expected);
  });
});
