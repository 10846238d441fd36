import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseStackConfig, StackConfigError } from "./stack-config.js";

const stackFile = (stack: string) =>
  (
    parseYaml(
      readFileSync(fileURLToPath(new URL(`../../../infra/Pulumi.${stack}.yaml`, import.meta.url)), "utf8"),
    ) as {
      config: Record<string, unknown>;
    }
  ).config;

const minimal = {
  "aws:region": "eu-west-1",
  "aws:allowedAccountIds": ["111111111111"],
  "icon-fanout:accountId": "111111111111",
};

function problemsOf(values: Record<string, unknown>): readonly string[] {
  try {
    parseStackConfig(values);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("the real stack files", () => {
  it("prod parses, allowing dev to subscribe", () => {
    const config = parseStackConfig(stackFile("prod"));
    expect(config).toMatchObject({
      accountId: "222222222222",
      region: "eu-west-1",
      iconSizes: [16, 32, 64],
      crossAccount: { allowSubscribers: ["111111111111"] },
    });
    expect(config.crossAccount.shadowFrom).toBeUndefined();
  });

  it("prod is a production stack, so its alarms must reach someone; dev is not", () => {
    expect(parseStackConfig(stackFile("prod"))).toMatchObject({
      production: true,
      alarms: { email: "icon-oncall@example.com" },
    });
    expect(parseStackConfig(stackFile("dev")).production).toBe(false);
  });

  it("dev parses, shadowing prod's topic and bucket", () => {
    const config = parseStackConfig(stackFile("dev"));
    expect(config).toMatchObject({
      accountId: "111111111111",
      scaling: { minTasks: 0 },
      crossAccount: {
        allowSubscribers: [],
        shadowFrom: {
          topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
          bucketName: "icon-fanout-prod-222222222222",
        },
      },
    });
  });
});

describe("defaults", () => {
  it("fill everything but the account and region", () => {
    const config = parseStackConfig(minimal);
    expect(config).toEqual({
      accountId: "111111111111",
      production: false,
      region: "eu-west-1",
      iconSizes: [16, 32, 64],
      keys: { inputPrefix: "icons/", outputPrefix: "icons-size-" },
      bucket: { noncurrentVersionRetentionDays: 30 },
      designers: { createRole: true, assumableBy: [], principalArns: [] },
      operators: { assumableBy: [] },
      resizer: {
        cpu: 256,
        memory: 512,
        architecture: "ARM64",
        concurrency: 32,
        visibilityTimeoutSeconds: 60,
        maxReceiveCount: 5,
        maxSourceBytes: 10 * 1024 * 1024,
        logRetentionDays: 30,
      },
      images: { keepLast: 10 },
      network: { mode: "public", cidr: "10.42.0.0/16", zones: ["a", "b"] },
      scaling: {
        minTasks: 1,
        maxTasks: 10,
        targetValue: 100,
        scaleInCooldownSeconds: 300,
        scaleOutCooldownSeconds: 60,
        acceptableMessagesPerTask: 5,
        stopAfterIdleMinutes: 15,
      },
      crossAccount: { allowSubscribers: [] },
      alarms: { oldestMessageAgeSeconds: 600 },
    });
  });

  it("accepts aws:allowedAccountIds as Pulumi passes it to a program (a JSON string)", () => {
    expect(() => parseStackConfig({ ...minimal, "aws:allowedAccountIds": '["111111111111"]' })).not.toThrow();
  });

  it("reads production as Pulumi passes a top-level scalar to a program (text)", () => {
    const production = (value: string) =>
      parseStackConfig({
        ...minimal,
        "icon-fanout:production": value,
        "icon-fanout:alarms": { email: "a@example.com" },
      }).production;
    expect([production("true"), production("false")]).toEqual([true, false]);
  });

  it("ignores other namespaces", () => {
    expect(() => parseStackConfig({ ...minimal, "aws:profile": "dev", "other:thing": 1 })).not.toThrow();
  });
});

describe("invalid configurations name the key and the rule", () => {
  const ns = "icon-fanout:";
  it.each<[string, Record<string, unknown>, string]>([
    [
      "size out of range",
      { [`${ns}iconSizes`]: [16, 0] },
      "icon-fanout:iconSizes[1]: must be an integer between 1 and 4096 (got 0)",
    ],
    [
      "size not an integer",
      { [`${ns}iconSizes`]: [16.5] },
      "icon-fanout:iconSizes[0]: must be an integer between 1 and 4096 (got 16.5)",
    ],
    [
      "size too large",
      { [`${ns}iconSizes`]: [5000] },
      "icon-fanout:iconSizes[0]: must be an integer between 1 and 4096 (got 5000)",
    ],
    [
      // One build kept would leave a rollback nothing to return to.
      "a single image kept",
      { [`${ns}images`]: { keepLast: 1 } },
      "icon-fanout:images.keepLast: must be an integer between 2 and 1000 (got 1)",
    ],
    [
      "duplicate sizes",
      { [`${ns}iconSizes`]: [16, 32, 16] },
      "icon-fanout:iconSizes[2]: 16 is listed more than once",
    ],
    ["empty size list", { [`${ns}iconSizes`]: [] }, "icon-fanout:iconSizes: must list at least one size"],
    [
      "sizes not a list",
      { [`${ns}iconSizes`]: "16,32" },
      'icon-fanout:iconSizes: must be a list of integers between 1 and 4096 (got "16,32")',
    ],
    [
      "output prefix inside input prefix",
      { [`${ns}keys`]: { inputPrefix: "icons/", outputPrefix: "icons/size-" } },
      'icon-fanout:keys.outputPrefix: must not start with the input prefix "icons/": outputs would trigger new notifications',
    ],
    [
      "input prefix inside an output prefix",
      { [`${ns}keys`]: { inputPrefix: "out-16/in/", outputPrefix: "out-" }, [`${ns}iconSizes`]: [16] },
      "icon-fanout:keys.inputPrefix: must not lie under the output prefix of size 16",
    ],
    [
      "input prefix without a trailing slash",
      { [`${ns}keys`]: { inputPrefix: "icons" } },
      'icon-fanout:keys.inputPrefix: must be one or more path segments of safe characters, ending with / (e.g. icons/) (got "icons")',
    ],
    [
      "account id not 12 digits",
      { [`${ns}accountId`]: "1234" },
      'icon-fanout:accountId: must be a 12-digit AWS account id (got "1234")',
    ],
    [
      "account id unquoted in YAML",
      { [`${ns}accountId`]: 111111111111 },
      "icon-fanout:accountId: must be a 12-digit AWS account id in quotes (got 111111111111)",
    ],
    ["missing account id", { [`${ns}accountId`]: undefined }, "icon-fanout:accountId: is required"],
    [
      "minTasks above maxTasks",
      { [`${ns}scaling`]: { minTasks: 5, maxTasks: 2 } },
      "icon-fanout:scaling.minTasks: must not exceed scaling.maxTasks (5 > 2)",
    ],
    [
      "maxTasks zero",
      { [`${ns}scaling`]: { maxTasks: 0 } },
      "icon-fanout:scaling.maxTasks: must be an integer between 1 and 1000 (got 0)",
    ],
    [
      "stop after idle beyond CloudWatch's one-day evaluation",
      { [`${ns}scaling`]: { stopAfterIdleMinutes: 1441 } },
      "icon-fanout:scaling.stopAfterIdleMinutes: must be an integer between 1 and 1440 (got 1441)",
    ],
    [
      "target outside the metric's range",
      { [`${ns}scaling`]: { targetValue: 500 } },
      "icon-fanout:scaling.targetValue: must be a number between 50 and 500, exclusive (the scaling metric's range) (got 500)",
    ],
    [
      "subscriber naming its own account",
      { [`${ns}crossAccount`]: { allowSubscribers: ["111111111111"] } },
      "icon-fanout:crossAccount.allowSubscribers[0]: 111111111111 is this stack's own account; list only other accounts",
    ],
    [
      "subscriber listed twice",
      { [`${ns}crossAccount`]: { allowSubscribers: ["222222222222", "222222222222"] } },
      "icon-fanout:crossAccount.allowSubscribers[1]: 222222222222 is listed more than once",
    ],
    [
      "shadow source in the stack's own account",
      {
        [`${ns}crossAccount`]: {
          shadowFrom: { topicArn: "arn:aws:sns:eu-west-1:111111111111:uploads", bucketName: "other-bucket" },
        },
      },
      "icon-fanout:crossAccount.shadowFrom.topicArn: is in this stack's own account 111111111111; shadow traffic comes from another account's topic",
    ],
    [
      "shadow topic that is not an SNS ARN",
      {
        [`${ns}crossAccount`]: {
          shadowFrom: { topicArn: "arn:aws:sqs:eu-west-1:222222222222:q", bucketName: "b-b-b" },
        },
      },
      'icon-fanout:crossAccount.shadowFrom.topicArn: must be an SNS topic ARN like arn:aws:sns:<region>:<12-digit account>:<name> (got "arn:aws:sqs:eu-west-1:222222222222:q")',
    ],
    [
      "shadow bucket with an invalid name",
      {
        [`${ns}crossAccount`]: {
          shadowFrom: { topicArn: "arn:aws:sns:eu-west-1:222222222222:uploads", bucketName: "Prod_Bucket" },
        },
      },
      'icon-fanout:crossAccount.shadowFrom.bucketName: must be 3-63 characters of lowercase letters, digits, dots and hyphens, starting and ending alphanumeric (got "Prod_Bucket")',
    ],
    [
      "Fargate cpu/memory mismatch",
      { [`${ns}resizer`]: { cpu: 256, memory: 4096 } },
      "icon-fanout:resizer.memory: 4096 MiB is not a Fargate memory size for cpu 256 (allowed: 512-2048 in steps of 512)",
    ],
    [
      "cpu that Fargate does not offer",
      { [`${ns}resizer`]: { cpu: 300 } },
      "icon-fanout:resizer.cpu: must be one of the Fargate cpu values 256, 512, 1024, 2048, 4096, 8192, 16384 (got 300)",
    ],
    [
      "unknown architecture",
      { [`${ns}resizer`]: { architecture: "arm64" } },
      'icon-fanout:resizer.architecture: must be ARM64 or X86_64 (got "arm64")',
    ],
    [
      "log retention CloudWatch does not offer",
      { [`${ns}resizer`]: { logRetentionDays: 10 } },
      "icon-fanout:resizer.logRetentionDays: must be a CloudWatch Logs retention period (1, 3, 5, 7, 14, 30, 60, 90, … 3653 days) (got 10)",
    ],
    ["a typo in a key", { [`${ns}scaling`]: { minTask: 1 } }, "icon-fanout:scaling.minTask: unknown key"],
    ["an unknown top-level key", { [`${ns}iconSize`]: [16] }, "icon-fanout:iconSize: unknown key"],
    [
      "no designers",
      { [`${ns}designers`]: { createRole: false } },
      "icon-fanout:designers: name the designers in principalArns, or let the stack create their role (createRole)",
    ],
    [
      "who may assume a role the stack does not create",
      {
        [`${ns}designers`]: {
          createRole: false,
          principalArns: ["arn:aws:iam::111111111111:role/existing"],
          assumableBy: ["arn:aws:iam::111111111111:role/sso/*"],
        },
      },
      "icon-fanout:designers.assumableBy: applies only to the role the stack creates, and createRole is false",
    ],
    [
      "a designers' role assumable from another account",
      { [`${ns}designers`]: { assumableBy: ["arn:aws:iam::333333333333:role/*"] } },
      "icon-fanout:designers.assumableBy[0]: must be a principal of this stack's account 111111111111; the role trusts this account only",
    ],
    [
      "a designers' role assumable by something that is not a role or user",
      { [`${ns}designers`]: { assumableBy: ["arn:aws:iam::111111111111:root"] } },
      'icon-fanout:designers.assumableBy[0]: must be an IAM role or user ARN, wildcards allowed, like arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Designers_* (got "arn:aws:iam::111111111111:root")',
    ],
    [
      "a designer that is not an IAM principal",
      { [`${ns}designers`]: { principalArns: ["designers@example.com"] } },
      'icon-fanout:designers.principalArns[0]: must be an IAM role, user or account-root ARN like arn:aws:iam::<account>:role/<name> (got "designers@example.com")',
    ],
    [
      "an operators' role assumable from another account",
      { [`${ns}operators`]: { assumableBy: ["arn:aws:iam::333333333333:role/*"] } },
      "icon-fanout:operators.assumableBy[0]: must be a principal of this stack's account 111111111111; the role trusts this account only",
    ],
    [
      "an operators' role assumable by something that is not a role or user",
      { [`${ns}operators`]: { assumableBy: ["arn:aws:iam::111111111111:root"] } },
      'icon-fanout:operators.assumableBy[0]: must be an IAM role or user ARN, wildcards allowed, like arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Designers_* (got "arn:aws:iam::111111111111:root")',
    ],
    [
      "alarm email malformed",
      { [`${ns}alarms`]: { email: "oncall" } },
      'icon-fanout:alarms.email: must be an email address (got "oncall")',
    ],
    [
      "production not a boolean",
      { [`${ns}production`]: "yes" },
      'icon-fanout:production: must be true or false (got "yes")',
    ],
    [
      "a production stack whose alarms reach nobody",
      { [`${ns}production`]: true },
      "icon-fanout:alarms: a production stack must send its alarms somewhere: set icon-fanout:alarms.email or icon-fanout:alarms.topicArn (neither is set, so the alarms reach nobody)",
    ],
    [
      "shadow source named twice",
      {
        [`${ns}crossAccount`]: {
          shadowFrom: {
            topicArn: "arn:aws:sns:eu-west-1:222222222222:uploads",
            bucketName: "prod-bucket",
            stackReference: "acme/icon-fanout/prod",
          },
        },
      },
      "icon-fanout:crossAccount.shadowFrom: name either topicArn and bucketName, or stackReference, not both",
    ],
    [
      "shadow topic without its bucket",
      { [`${ns}crossAccount`]: { shadowFrom: { topicArn: "arn:aws:sns:eu-west-1:222222222222:uploads" } } },
      "icon-fanout:crossAccount.shadowFrom.bucketName: is required with the other",
    ],
    [
      "empty shadow source",
      { [`${ns}crossAccount`]: { shadowFrom: {} } },
      "icon-fanout:crossAccount.shadowFrom: needs topicArn and bucketName, or stackReference",
    ],
    [
      "shadow stack reference that is not a stack name",
      { [`${ns}crossAccount`]: { shadowFrom: { stackReference: "acme/icon fanout/prod" } } },
      'icon-fanout:crossAccount.shadowFrom.stackReference: must be a stack name like org/icon-fanout/prod (got "acme/icon fanout/prod")',
    ],
    [
      "shadow topic in another region",
      {
        [`${ns}crossAccount`]: {
          shadowFrom: { topicArn: "arn:aws:sns:us-east-1:222222222222:uploads", bucketName: "prod-bucket" },
        },
      },
      "icon-fanout:crossAccount.shadowFrom.topicArn: is in us-east-1 but this stack deploys to eu-west-1; shadow from a topic in the same region",
    ],
    [
      "network CIDR outside 10/8",
      { [`${ns}network`]: { cidr: "192.168.0.0/16" } },
      'icon-fanout:network.cidr: must be a /16 in 10.0.0.0/8, e.g. 10.42.0.0/16 (got "192.168.0.0/16")',
    ],
    [
      "a single availability zone",
      { [`${ns}network`]: { zones: ["a"] } },
      "icon-fanout:network.zones: must name at least two zones",
    ],
    [
      "missing region",
      { "aws:region": undefined },
      "aws:region: must be an AWS region such as eu-west-1 (not set)",
    ],
    [
      "allowedAccountIds not pinned to the stack's account",
      { "aws:allowedAccountIds": ["222222222222"] },
      'aws:allowedAccountIds: must be ["111111111111"] (this stack\'s accountId), so the provider refuses any other account',
    ],
  ])("%s", (_name, change, expected) => {
    const values: Record<string, unknown> = { ...minimal, ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete values[key];
    expect(problemsOf(values)).toContain(expected);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an email", { email: "oncall@example.com" }],
    ["an existing topic", { topicArn: "arn:aws:sns:eu-west-1:111111111111:on-call" }],
  ])("accepts a production stack whose alarms go to %s", (_name, alarms) => {
    const values = { ...minimal, [`${ns}production`]: true, [`${ns}alarms`]: alarms };
    expect(problemsOf(values)).toEqual([]);
  });

  it("reports every problem at once, in a message fit for a terminal", () => {
    const values = {
      ...minimal,
      "icon-fanout:iconSizes": [0, 16, 16],
      "icon-fanout:scaling": { minTasks: 3, maxTasks: 1 },
    };
    const problems = [
      "icon-fanout:iconSizes[0]: must be an integer between 1 and 4096 (got 0)",
      "icon-fanout:iconSizes[2]: 16 is listed more than once",
      "icon-fanout:scaling.minTasks: must not exceed scaling.maxTasks (3 > 1)",
    ];
    expect(problemsOf(values)).toEqual(problems);
    const message = ["invalid stack configuration:", ...problems.map((problem) => `  - ${problem}`)].join(
      "\n",
    );
    expect(() => parseStackConfig(values)).toThrow(expect.objectContaining({ message }));
  });
});
