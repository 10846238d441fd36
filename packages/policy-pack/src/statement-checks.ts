import { list, type Statement } from "./documents.js";

/** Condition keys that tie a service principal to one source: the confused-deputy guard. */
export const SOURCE_KEYS = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

/** Operators that hold only when the key is present and matches (not `…IfExists`, not negations). */
const MATCHING_OPERATORS =
  /^(?:ForAnyValue:)?(?:StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/;

/**
 * ECS documents no source keys for the task execution role, which its agents assume to pull the
 * image and write logs; a role trusted without them may hold these permissions and no others.
 */
export const EXECUTION_ROLE_ACTIONS: ReadonlySet<string> = new Set([
  "ecr:GetAuthorizationToken",
  "ecr:BatchCheckLayerAvailability",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
]);

/** Actions AWS authorizes only on `Resource: "*"`: listing them with "*" is required, not lax. */
const WILDCARD_ONLY_ACTIONS = new Set([
  "cloudwatch:GetMetricData",
  "cloudwatch:PutMetricData",
  "ecr:GetAuthorizationToken",
]);

const label = (statement: Statement) => `statement ${statement.Sid ? `"${statement.Sid}"` : "(no Sid)"}`;

export const servicesOf = (statement: Statement): string[] =>
  typeof statement.Principal === "object" ? list(statement.Principal.Service) : [];

/** True when the statement's principal is everyone: `*`, or `*` among its AWS principals. */
const isEveryone = ({ Principal: principal }: Statement): boolean =>
  principal === "*" || (typeof principal === "object" && list(principal.AWS).includes("*"));

/** True when the statement narrows its principal to one source account, organization or resource. */
export function hasSourceCondition(statement: Statement): boolean {
  return Object.entries(statement.Condition ?? {}).some(
    ([operator, pairs]) =>
      MATCHING_OPERATORS.test(operator) &&
      Object.keys(pairs).some((key) =>
        SOURCE_KEYS.some((source) => source.toLowerCase() === key.toLowerCase()),
      ),
  );
}

/** An Allow to a service principal without a source condition lets any account's resource use it. */
export function serviceWithoutSource(statement: Statement): string | undefined {
  const services = servicesOf(statement);
  if (statement.Effect !== "Allow" || services.length === 0 || hasSourceCondition(statement))
    return undefined;
  return `${label(statement)} allows ${services.join(", ")} without a source condition (${SOURCE_KEYS.join(", ")})`;
}

/** The one unconditioned service trust this pack accepts per role, subject to `EXECUTION_ROLE_ACTIONS`. */
export function isEcsExecutionTrust(statement: Statement): boolean {
  return (
    statement.Effect === "Allow" &&
    servicesOf(statement).join() === "ecs-tasks.amazonaws.com" &&
    list(statement.Action).join() === "sts:AssumeRole" &&
    !hasSourceCondition(statement)
  );
}

/** An Allow to everyone (`*`) with no condition at all is public. */
export function anonymousWithoutCondition(statement: Statement): string | undefined {
  if (
    statement.Effect !== "Allow" ||
    !isEveryone(statement) ||
    Object.keys(statement.Condition ?? {}).length > 0
  )
    return undefined;
  return `${label(statement)} allows any principal without a condition`;
}

/** Identity grants name their actions and resources: no `*`, no `service:*`, no NotAction or NotResource. */
export function wildcardIdentityGrant(statement: Statement): string[] {
  if (statement.Effect !== "Allow") return [];
  const problems: string[] = [];
  const actions = list(statement.Action);
  if (statement.NotAction !== undefined) problems.push(`${label(statement)} allows by NotAction`);
  if (statement.NotResource !== undefined) problems.push(`${label(statement)} allows by NotResource`);
  const wildcards = actions.filter((action) => action === "*" || action.endsWith(":*"));
  if (wildcards.length > 0)
    problems.push(`${label(statement)} allows the wildcard action ${wildcards.join(", ")}`);
  const conditioned = Object.keys(statement.Condition ?? {}).length > 0;
  if (list(statement.Resource).includes("*") && !conditioned) {
    const scoped = actions.filter((action) => !WILDCARD_ONLY_ACTIONS.has(action));
    if (scoped.length > 0) problems.push(`${label(statement)} allows ${scoped.join(", ")} on Resource "*"`);
  }
  return problems;
}

/** A Deny of every principal's requests without TLS (`aws:SecureTransport` false). */
export function deniesInsecureTransport(statement: Statement): boolean {
  const secure = Object.entries(statement.Condition?.Bool ?? {}).find(
    ([key]) => key.toLowerCase() === "aws:securetransport",
  )?.[1];
  return statement.Effect === "Deny" && isEveryone(statement) && String(secure) === "false";
}
