import { list, type Statement } from "./documents.js";
import { hasNarrowingCondition, NARROWING_KEYS, SOURCE_KEYS } from "./narrowing-conditions.js";

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
export const hasSourceCondition = (statement: Statement): boolean =>
  hasNarrowingCondition(statement, SOURCE_KEYS);

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

/**
 * An Allow to everyone (`*`) is public unless a condition narrows who: any other condition (TLS,
 * a network, a tag any account may set) still admits every account.
 */
export function everyoneNotNarrowed(statement: Statement): string | undefined {
  if (
    statement.Effect !== "Allow" ||
    !isEveryone(statement) ||
    hasNarrowingCondition(statement, NARROWING_KEYS)
  )
    return undefined;
  return `${label(statement)} allows any principal without a condition that narrows who (${NARROWING_KEYS.join(", ")} with a matching operator and a named account or organization)`;
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
