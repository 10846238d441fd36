import type { z } from "zod";
import { PROJECT, type ProjectConfig, projectSchema, shadowTopicProblem } from "./stack-config-schema.js";

export {
  DEFAULT_ICON_SIZES,
  PROJECT,
  type ProjectConfig,
  shadowTopicProblem,
} from "./stack-config-schema.js";

/** A validated stack configuration: the project's settings plus the provider settings the program relies on. */
export interface StackConfig extends ProjectConfig {
  region: string;
}

export class StackConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "StackConfigError";
  }
}

/**
 * Validates a stack's configuration, as Pulumi holds it: keys with their namespace
 * (`icon-fanout:iconSizes`, `aws:region`) and typed values (objects, lists, numbers).
 * Throws a `StackConfigError` listing every problem, each naming its key and the rule.
 */
export function parseStackConfig(values: Readonly<Record<string, unknown>>): StackConfig {
  const project: Record<string, unknown> = {};
  const prefix = `${PROJECT}:`;
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(prefix)) project[key.slice(prefix.length)] = value;
  }

  const problems: string[] = [];
  const parsed = projectSchema.safeParse(project, { reportInput: true });
  if (!parsed.success) problems.push(...parsed.error.issues.flatMap(describeIssue));

  const region = values["aws:region"];
  if (typeof region !== "string" || !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region)) {
    problems.push(`aws:region: must be an AWS region such as eu-west-1${gotSuffix(region)}`);
  }
  const shadowTopic = parsed.success ? parsed.data.crossAccount.shadowFrom?.topicArn : undefined;
  const regionProblem =
    typeof region === "string" && shadowTopic
      ? shadowTopicProblem(shadowTopic, undefined, region)
      : undefined;
  if (regionProblem) problems.push(`${PROJECT}:crossAccount.shadowFrom.topicArn: ${regionProblem}`);
  const configuredAccount = project.accountId;
  const allowed = values["aws:allowedAccountIds"];
  if (typeof configuredAccount === "string" && !isExactly(allowed, configuredAccount)) {
    problems.push(
      `aws:allowedAccountIds: must be ["${configuredAccount}"] (this stack's accountId), so the provider refuses any other account${gotSuffix(allowed)}`,
    );
  }

  if (problems.length > 0 || !parsed.success) throw new StackConfigError(problems);
  return { ...parsed.data, region: region as string };
}

function isExactly(value: unknown, account: string): boolean {
  const list = typeof value === "string" ? tryJson(value) : value;
  return Array.isArray(list) && list.length === 1 && String(list[0]) === account;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = (path: PropertyKey[]) => `${PROJECT}:${formatPath(path)}`;
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${where([...issue.path, key])}: unknown key`);
  }
  if (issue.path.length === 0) return [`${PROJECT}: ${issue.message}`];
  if (issue.code === "invalid_type" && issue.input === undefined)
    return [`${where(issue.path)}: is required`];
  const shown = issue.input === undefined ? "" : gotSuffix(issue.input);
  return [`${where(issue.path)}: ${issue.message}${shown}`];
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

function gotSuffix(value: unknown): string {
  if (value === undefined) return " (not set)";
  if (value === null || typeof value === "object") return "";
  const shown = JSON.stringify(value);
  return shown.length > 60 ? "" : ` (got ${shown})`;
}
