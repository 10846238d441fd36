import type { RecordedResource } from "../synth/mock-engine.js";
import type { PolicyDocument, PolicyStatement } from "./policy-document.js";

/** Condition keys that tie a service principal to one source (the confused-deputy guard). */
const SOURCE_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

/** Resource types whose `policy` input is a resource policy (who may act on this resource). */
export const RESOURCE_POLICY_TYPES: ReadonlySet<string> = new Set([
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/accessPoint:AccessPoint",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
]);

/** Resource types whose `policy` input is an identity policy (what a role may do). */
const IDENTITY_POLICY_TYPES = new Set(["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"]);

const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export interface PolicyViolation {
  resource: string;
  sid: string;
  rule: string;
}

export function policiesOf(
  resource: RecordedResource,
): { kind: "resource" | "identity"; document: PolicyDocument }[] {
  const documents: { kind: "resource" | "identity"; document: PolicyDocument }[] = [];
  const parse = (text: unknown) => JSON.parse(String(text)) as PolicyDocument;
  if (RESOURCE_POLICY_TYPES.has(resource.type) && resource.inputs.policy) {
    documents.push({ kind: "resource", document: parse(resource.inputs.policy) });
  }
  if (IDENTITY_POLICY_TYPES.has(resource.type))
    documents.push({ kind: "identity", document: parse(resource.inputs.policy) });
  if (resource.type === "aws:iam/role:Role" && resource.inputs.assumeRolePolicy) {
    documents.push({ kind: "resource", document: parse(resource.inputs.assumeRolePolicy) });
  }
  if (resource.type === "aws:iam/role:Role") {
    for (const inline of list(resource.inputs.inlinePolicies as { policy?: string }[] | undefined)) {
      if (inline.policy) documents.push({ kind: "identity", document: parse(inline.policy) });
    }
  }
  return documents;
}

/** Checks DESIGN §7's policy invariants over every recorded resource. */
export function policyViolations(resources: RecordedResource[]): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const resource of resources) {
    for (const { kind, document } of policiesOf(resource)) {
      for (const statement of document.Statement) {
        const fail = (rule: string) => violations.push({ resource: resource.name, sid: statement.Sid, rule });
        if (kind === "resource") checkResourceStatement(statement, fail);
        else checkIdentityStatement(statement, fail);
      }
    }
  }
  return violations;
}

function checkResourceStatement(statement: PolicyStatement, fail: (rule: string) => void): void {
  if (statement.Effect !== "Allow" || !statement.Principal || statement.Principal === "*") return;
  const services = list(statement.Principal.Service);
  const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((pairs) => Object.keys(pairs));
  if (services.length > 0 && !conditionKeys.some((key) => SOURCE_KEYS.includes(key))) {
    fail(`service principal ${services.join(", ")} without a source condition (${SOURCE_KEYS.join(", ")})`);
  }
  if (list(statement.Principal.AWS).includes("*") && conditionKeys.length === 0) {
    fail("any principal without a condition");
  }
}

function checkIdentityStatement(statement: PolicyStatement, fail: (rule: string) => void): void {
  if (statement.Effect !== "Allow") return;
  const actions = list(statement.Action);
  if (actions.some((action) => action === "*" || action.endsWith(":*")))
    fail(`wildcard action ${actions.join(", ")}`);
  const conditioned = Object.keys(statement.Condition ?? {}).length > 0;
  if (list(statement.Resource).includes("*") && !conditioned && !actions.every(isWildcardOnlyAction)) {
    fail(`Resource "*" for ${actions.join(", ")}`);
  }
}

/** Actions AWS only authorizes on `Resource: "*"`; listing them with "*" is required, not lax. */
const WILDCARD_ONLY = new Set([
  "cloudwatch:PutMetricData",
  "ecr:GetAuthorizationToken",
  "ecs:DescribeServices",
]);

function isWildcardOnlyAction(action: string): boolean {
  return WILDCARD_ONLY.has(action);
}
