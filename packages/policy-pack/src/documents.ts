/** IAM policy documents as resources carry them, and where each resource type carries them. */

export type PolicyValue = string | string[];

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: PolicyValue; Service?: PolicyValue; Federated?: PolicyValue };
  NotPrincipal?: unknown;
  Action?: PolicyValue;
  NotAction?: PolicyValue;
  Resource?: PolicyValue;
  NotResource?: PolicyValue;
  Condition?: Record<string, Record<string, PolicyValue | boolean>>;
}

/**
 * `resource`: who may act on the resource; `trust`: who may assume a role; `identity`: what a
 * role, user or group may do.
 */
export type DocumentKind = "resource" | "trust" | "identity";

export interface FoundDocument {
  kind: DocumentKind;
  /** The property the document came from, e.g. `policy` or `inlinePolicies[0].policy`. */
  property: string;
  statements: Statement[];
}

export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** Resource types whose `policy` property is a resource policy. */
export const RESOURCE_POLICY_TYPES: ReadonlySet<string> = new Set([
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/accessPoint:AccessPoint",
  "aws:s3control/accessPointPolicy:AccessPointPolicy",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topic:Topic",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:sqs/queue:Queue",
]);

/** Resource types whose `policy` property is an identity policy. */
export const IDENTITY_POLICY_TYPES: ReadonlySet<string> = new Set([
  ROLE_POLICY,
  "aws:iam/policy:Policy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/groupPolicy:GroupPolicy",
]);

export const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Every policy document a resource of `type` carries in `props`. */
export function documentsOf(type: string, props: Record<string, unknown>): FoundDocument[] {
  const found: FoundDocument[] = [];
  const add = (kind: DocumentKind, property: string, value: unknown) => {
    const statements = statementsOf(value);
    if (statements) found.push({ kind, property, statements });
  };
  if (RESOURCE_POLICY_TYPES.has(type)) add("resource", "policy", props.policy);
  if (IDENTITY_POLICY_TYPES.has(type)) add("identity", "policy", props.policy);
  if (type === ROLE) {
    add("trust", "assumeRolePolicy", props.assumeRolePolicy);
    list(props.inlinePolicies as { policy?: unknown }[] | undefined).forEach((inline, index) => {
      add("identity", `inlinePolicies[${index}].policy`, inline.policy);
    });
  }
  return found;
}

/** The statements of a document given as JSON text or as an object; undefined when there is none. */
export function statementsOf(value: unknown): Statement[] | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const document = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  if (typeof document !== "object" || document === null || !("Statement" in document)) return undefined;
  return list((document as { Statement: Statement | Statement[] }).Statement);
}
