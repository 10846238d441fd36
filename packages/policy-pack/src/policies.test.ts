import { describe, expect, it } from "vitest";
import type { Statement } from "./documents.js";
import { evaluatePolicies, type RecordedResource } from "./evaluate.js";

const document = (...Statement: Statement[]) => JSON.stringify({ Version: "2012-10-17", Statement });

let next = 0;
function resource(
  type: string,
  inputs: Record<string, unknown>,
  dependencies: string[] = [],
): RecordedResource {
  next += 1;
  const name = `r${next}`;
  return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, parent: null, inputs, dependencies };
}

const TLS_DENY: Statement = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "sqs:*",
  Resource: "arn:aws:sqs:eu-west-1:1:q",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const ECS_TRUST: Statement = {
  Sid: "EcsAgent",
  Effect: "Allow",
  Principal: { Service: "ecs-tasks.amazonaws.com" },
  Action: "sts:AssumeRole",
};

async function violations(...resources: RecordedResource[]) {
  return (await evaluatePolicies(resources)).violations.map(({ policy, message }) => `${policy}: ${message}`);
}

describe("service-principals-have-source-conditions", () => {
  const delivery = (Condition?: Statement["Condition"]): Statement => ({
    Sid: "TopicDelivers",
    Effect: "Allow",
    Principal: { Service: "sns.amazonaws.com" },
    Action: "sqs:SendMessage",
    Resource: "arn:aws:sqs:eu-west-1:1:q",
    ...(Condition ? { Condition } : {}),
  });
  const queuePolicy = (statement: Statement) =>
    resource("aws:sqs/queuePolicy:QueuePolicy", { policy: document(TLS_DENY, statement) });

  it("accepts a service principal tied to its source", async () => {
    expect(
      await violations(
        queuePolicy(delivery({ ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:1:t" } })),
      ),
    ).toEqual([]);
  });

  it.each<[string, Statement["Condition"] | undefined]>([
    ["no condition", undefined],
    ["a condition on another key", { Bool: { "aws:SecureTransport": "true" } }],
    [
      "a source key that may be absent (IfExists)",
      { ArnEqualsIfExists: { "aws:SourceArn": "arn:aws:sns:eu-west-1:1:t" } },
    ],
    ["a negated source key", { ArnNotEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:1:t" } }],
    ["a source account by wildcard", { StringLike: { "aws:SourceAccount": "*" } }],
    ["a source ARN in any account", { ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:*:t" } }],
  ])("refuses a service principal with %s", async (_name, condition) => {
    expect(await violations(queuePolicy(delivery(condition)))).toEqual([
      'service-principals-have-source-conditions: policy: statement "TopicDelivers" allows sns.amazonaws.com without a source condition (aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths)',
    ]);
  });

  it("checks trust policies too", async () => {
    const trust = { ...ECS_TRUST, Principal: { Service: "lambda.amazonaws.com" } };
    expect(await violations(resource("aws:iam/role:Role", { assumeRolePolicy: document(trust) }))).toEqual([
      'service-principals-have-source-conditions: assumeRolePolicy: statement "EcsAgent" allows lambda.amazonaws.com without a source condition (aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths)',
    ]);
  });
});

describe("ecs-execution-roles-only-pull-and-log", () => {
  const executionRole = () => resource("aws:iam/role:Role", { assumeRolePolicy: document(ECS_TRUST) });
  const grant = (role: RecordedResource, ...actions: string[]) =>
    resource(
      "aws:iam/rolePolicy:RolePolicy",
      {
        role: "auto-named",
        policy: document({
          Sid: "Grant",
          Effect: "Allow",
          Action: actions,
          Resource: "arn:aws:logs:eu-west-1:1:log-group:g:*",
        }),
      },
      [role.urn],
    );

  it("accepts an unconditioned ECS trust on a role that only pulls images and writes logs", async () => {
    const role = executionRole();
    expect(await violations(role, grant(role, "ecr:BatchGetImage", "logs:PutLogEvents"))).toEqual([]);
  });

  it("refuses it on a role that may do more (a task role needs its source conditions)", async () => {
    const role = executionRole();
    expect(await violations(role, grant(role, "logs:PutLogEvents", "s3:GetObject"))).toEqual([
      `ecs-execution-roles-only-pull-and-log: role ${role.name} trusts ecs-tasks.amazonaws.com without a source condition, which only a task execution role may, but it may also use s3:GetObject`,
    ]);
  });

  it("refuses it on a role with managed policies, which the pack cannot read", async () => {
    const role = resource("aws:iam/role:Role", {
      assumeRolePolicy: document(ECS_TRUST),
      managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    });
    expect(await violations(role)).toEqual([
      `ecs-execution-roles-only-pull-and-log: role ${role.name} trusts ecs-tasks.amazonaws.com without a source condition, which only a task execution role may, but it may also use managed policies`,
    ]);
  });
});

describe("grants-to-everyone-narrow-the-principal", () => {
  const toEveryone = (Principal: Statement["Principal"], Condition?: Statement["Condition"]): Statement => ({
    Sid: "Open",
    Effect: "Allow",
    Principal,
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::b/*",
    ...(Condition ? { Condition } : {}),
  });
  const accessPoint = (statement: Statement) =>
    resource("aws:s3/accessPoint:AccessPoint", { policy: document(statement) });
  const refusal =
    'grants-to-everyone-narrow-the-principal: policy: statement "Open" allows any principal without a condition that narrows who (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceArn, aws:SourceAccount, aws:SourceOrgID, aws:SourceOrgPaths, s3:DataAccessPointAccount, s3:DataAccessPointArn with a matching operator and a named account or organization)';

  it.each<[string, Statement["Principal"]]>([
    ["*", "*"],
    ['{ AWS: "*" }', { AWS: "*" }],
  ])("refuses an Allow to %s without a condition", async (_name, principal) => {
    expect(await violations(accessPoint(toEveryone(principal)))).toEqual([refusal]);
  });

  it.each<[string, Statement["Condition"]]>([
    ["TLS only", { Bool: { "aws:SecureTransport": "true" } }],
    ["a source IP range", { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } }],
    ["a VPC endpoint", { StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d" } }],
    [
      "a principal tag, which any account may set on its own roles",
      { StringEquals: { "aws:PrincipalTag/team": "icons" } },
    ],
    [
      "a principal key that may be absent (IfExists)",
      { StringEqualsIfExists: { "aws:PrincipalAccount": "111111111111" } },
    ],
    ["a negated principal key", { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } }],
    ["only that a principal ARN is present (Null)", { Null: { "aws:PrincipalArn": "false" } }],
    ["every account by wildcard", { StringLike: { "aws:PrincipalAccount": "*" } }],
    ["an account among a wildcard", { StringLike: { "aws:PrincipalAccount": ["111111111111", "*"] } }],
    ["a role of any account", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/designers" } }],
    ["any organization", { StringLike: { "aws:PrincipalOrgID": "o-*" } }],
    ["any bucket as the source", { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } }],
    ["access points of any account", { StringLike: { "s3:DataAccessPointAccount": "*" } }],
    [
      "an access point name in any account",
      { ArnLike: { "s3:DataAccessPointArn": "arn:aws:s3:eu-west-1:*:accesspoint/designers" } },
    ],
    ["paths of any organization", { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "*/r-ab12/*" } }],
  ])("refuses an Allow to everyone narrowed only by %s", async (_name, condition) => {
    expect(await violations(accessPoint(toEveryone("*", condition)))).toEqual([refusal]);
  });

  it.each<[string, Statement["Condition"]]>([
    ["one account", { StringEquals: { "aws:PrincipalAccount": "111111111111" } }],
    [
      "roles of one account",
      { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/designers-*" } },
    ],
    ["one organization", { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } }],
    [
      "an organizational unit",
      { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } },
    ],
    ["one source resource", { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111111111111:t" } }],
    ["one source account", { StringEquals: { "aws:SourceAccount": "111111111111" } }],
    ["sources in one organization", { StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" } }],
    [
      "sources in an organizational unit",
      { "ForAnyValue:StringLike": { "aws:SourceOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" } },
    ],
    ["one bucket as the source", { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::icons" } }],
    ["access points of one account", { StringEquals: { "s3:DataAccessPointAccount": "111111111111" } }],
    [
      "one access point",
      { StringEquals: { "s3:DataAccessPointArn": "arn:aws:s3:eu-west-1:111111111111:accesspoint/a" } },
    ],
    [
      "a narrowing key among others",
      { Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:PrincipalAccount": "111111111111" } },
    ],
  ])("accepts an Allow to everyone narrowed to %s", async (_name, condition) => {
    expect(await violations(accessPoint(toEveryone({ AWS: "*" }, condition)))).toEqual([]);
  });

  it("leaves a Deny to everyone alone: it narrows access, whatever its condition", async () => {
    expect(await violations(accessPoint({ ...toEveryone("*"), Effect: "Deny" }))).toEqual([]);
  });
});

describe("no-wildcard-identity-grants", () => {
  it("refuses wildcard actions, wildcard resources and NotAction; accepts what AWS authorizes only on *", async () => {
    const policy = resource("aws:iam/rolePolicy:RolePolicy", {
      role: "r",
      policy: document(
        { Sid: "All", Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b/*" },
        { Sid: "Service", Effect: "Allow", Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:1:q" },
        { Sid: "Anywhere", Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
        { Sid: "Except", Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" },
        { Sid: "Metrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" },
        // DescribeServices is authorized per service ARN, so "*" is a choice, not a requirement.
        { Sid: "Services", Effect: "Allow", Action: "ecs:DescribeServices", Resource: "*" },
        {
          Sid: "Scoped",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { StringEquals: { "s3:ExistingObjectTag/team": "icons" } },
        },
      ),
    });
    expect(await violations(policy)).toEqual([
      'no-wildcard-identity-grants: policy: statement "All" allows the wildcard action *',
      'no-wildcard-identity-grants: policy: statement "Service" allows the wildcard action sqs:*',
      'no-wildcard-identity-grants: policy: statement "Anywhere" allows s3:GetObject on Resource "*"',
      'no-wildcard-identity-grants: policy: statement "Except" allows by NotAction',
      'no-wildcard-identity-grants: policy: statement "Services" allows ecs:DescribeServices on Resource "*"',
    ]);
  });

  it("reads roles' inline policies", async () => {
    const role = resource("aws:iam/role:Role", {
      inlinePolicies: [
        { name: "inline", policy: document({ Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }) },
      ],
    });
    expect(await violations(role)).toEqual([
      'no-wildcard-identity-grants: inlinePolicies[0].policy: statement "All" allows the wildcard action *',
      'no-wildcard-identity-grants: inlinePolicies[0].policy: statement "All" allows * on Resource "*"',
    ]);
  });
});

describe("resource-policies-deny-insecure-transport", () => {
  it("refuses a bucket, topic or queue policy without a TLS deny, and accepts one with it", async () => {
    const allow: Statement = {
      Sid: "Read",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::1:root" },
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::b/*",
    };
    const without = resource("aws:s3/bucketPolicy:BucketPolicy", { policy: document(allow) });
    const withDeny = resource("aws:sns/topicPolicy:TopicPolicy", { policy: document(TLS_DENY, allow) });
    expect(await violations(without, withDeny)).toEqual([
      'resource-policies-deny-insecure-transport: policy: no statement denies every principal\'s requests when "aws:SecureTransport" is "false"',
    ]);
  });
});

describe("evaluatePolicies", () => {
  it("counts what each policy applied to, so a pack that matches nothing shows", async () => {
    const { applied } = await evaluatePolicies([resource("aws:sqs/queue:Queue", { name: "q" })]);
    expect(applied).toEqual({});
  });
});
