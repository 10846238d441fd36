import type { RecordedResource } from "./mock-engine.js";
import { conditionWords, list, roleTrust, scaling, startOrder } from "./summary-deploy.js";
import { topicPublishers } from "./summary-publishers.js";

export interface SynthDocument {
  project: string;
  stack: string;
  resources: Pick<
    RecordedResource,
    "type" | "name" | "urn" | "parent" | "inputs" | "dependencies" | "ignoreChanges"
  >[];
  outputs: Record<string, unknown>;
}

interface Statement {
  Effect?: string;
  Principal?: "*" | { AWS?: string | string[]; Service?: string | string[] };
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const isComponent = (type: string) => !type.startsWith("aws:") && !type.startsWith("pulumi:providers:");
const shortType = (type: string) => type.split(":").pop() ?? type;
/** `aws:s3/bucketPolicy:BucketPolicy` → `aws.s3.BucketPolicy`, as the class is named in code. */
const className = (type: string) => {
  const [pkg, module, name] = type.split(":");
  return module && name ? `${pkg}.${module.split("/")[0]}.${name}` : type;
};

/**
 * A readable account of a synth: the component tree, counts by type, who may do what across
 * accounts, who may publish to each topic, who may assume each role, what each ECS service waits for, and how each size scales.
 */
export function summarize(document: SynthDocument, accountId: string): string {
  return [
    tree(document.resources),
    counts(document.resources),
    crossAccount(document.resources, accountId),
    topicPublishers(document.resources),
    roleTrust(document.resources),
    startOrder(document.resources),
    scaling(document.resources),
  ].join("\n\n");
}

function tree(resources: SynthDocument["resources"]): string {
  const children = new Map<string | null, SynthDocument["resources"]>();
  for (const resource of resources)
    children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
  const lines = ["Components"];
  const walk = (
    resource: SynthDocument["resources"][number],
    indent: string,
    last: boolean,
    root: boolean,
  ) => {
    const own = children.get(resource.urn) ?? [];
    const direct = own.filter((child) => !isComponent(child.type)).length;
    const label = `${resource.name}  ${shortType(resource.type)}${direct ? `  (${direct} resource${direct === 1 ? "" : "s"})` : ""}`;
    lines.push(root ? `  ${label}` : `  ${indent}${last ? "└─ " : "├─ "}${label}`);
    const components = own.filter((child) => isComponent(child.type));
    for (const [index, child] of components.entries()) {
      walk(child, root ? "" : `${indent}${last ? "   " : "│  "}`, index === components.length - 1, false);
    }
  };
  for (const root of children.get(null) ?? []) walk(root, "", true, true);
  return lines.join("\n");
}

function counts(resources: SynthDocument["resources"]): string {
  const byType = new Map<string, number>();
  for (const { type } of resources)
    if (!isComponent(type)) byType.set(className(type), (byType.get(className(type)) ?? 0) + 1);
  const rows = [...byType].sort(([a], [b]) => a.localeCompare(b));
  const width = Math.max(...rows.map(([type]) => type.length));
  const total = rows.reduce((sum, [, count]) => sum + count, 0);
  return [
    `Resources by type (${total})`,
    ...rows.map(([type, count]) => `  ${type.padEnd(width)}  ${count}`),
  ].join("\n");
}

function crossAccount(resources: SynthDocument["resources"], accountId: string): string {
  const lines: string[] = [];
  for (const resource of resources) {
    if (typeof resource.inputs.policy !== "string") continue;
    for (const statement of list(
      (JSON.parse(resource.inputs.policy) as { Statement?: Statement[] }).Statement,
    )) {
      if (statement.Effect !== "Allow" || statement.Principal === "*" || !statement.Principal) continue;
      for (const principal of list(statement.Principal.AWS)) {
        const account = /^(?:arn:[^:]+:iam::)?(\d{12})(?::|$)/.exec(principal)?.[1];
        if (!account || account === accountId) continue;
        const narrowedTo = principalPatterns(account, statement);
        const conditions = conditionWords(statement.Condition, narrowedTo.length ? [PRINCIPAL_ARN] : []);
        const who = narrowedTo.length
          ? `${narrowedTo.every((arn) => arn.split(":")[5]?.startsWith("role/")) ? "roles" : "principals"} ${narrowedTo.join(" | ")} of account ${account}`
          : `account ${account}`;
        lines.push(
          `  ${who} may ${list(statement.Action).join(", ")} on ${list(statement.Resource).map(readableArn).join(", ")}` +
            (conditions.length ? ` when ${conditions.join(" and ")}` : ""),
        );
      }
    }
  }
  const sourcesByQueue = new Map<string, string[]>();
  for (const resource of resources) {
    // Queues only: the alarm topic's e-mail or HTTPS subscriptions are no queue's sources.
    if (resource.type !== "aws:sns/topicSubscription:TopicSubscription" || resource.inputs.protocol !== "sqs")
      continue;
    const queue = readableArn(String(resource.inputs.endpoint));
    const topic = String(resource.inputs.topic);
    const owner = topic.split(":")[4];
    const label = `${readableArn(topic)} (${owner === accountId ? "this account" : `account ${owner}`})`;
    sourcesByQueue.set(queue, [...(sourcesByQueue.get(queue) ?? []), label]);
  }
  for (const [queue, topics] of sourcesByQueue)
    lines.push(`  queue ${queue} takes messages from ${topics.join(" and ")}`);
  return [`Cross-account access (this account: ${accountId})`, ...(lines.length ? lines : ["  none"])].join(
    "\n",
  );
}

const PRINCIPAL_ARN = "aws:PrincipalArn";
/** Operators under which an `aws:PrincipalArn` condition admits only the principals it names. */
const NARROWING = ["ArnEquals", "ArnLike", "StringEquals", "StringLike"];

/**
 * The principals of `account` a statement's `aws:PrincipalArn` condition narrows a grant to that
 * account to, e.g. `arn:…:role/icon-fanout/resizer/*`; none: the grant reaches the whole account.
 */
function principalPatterns(account: string, statement: Statement): string[] {
  return Object.entries(statement.Condition ?? {})
    .filter(([operator]) => NARROWING.includes(operator))
    .flatMap(([, pairs]) => list(pairs[PRINCIPAL_ARN]))
    .filter((arn) => arn.split(":")[4] === account);
}

/** `arn:aws:s3:::bucket/icons/*` → `bucket/icons/*`; `arn:aws:sns:r:a:name` → `name`. */
function readableArn(arn: string): string {
  const parts = arn.split(":");
  if (parts[2] === "s3" && parts[3] === "") return parts.slice(5).join(":");
  return parts.length >= 6 ? parts.slice(5).join(":") : arn;
}
