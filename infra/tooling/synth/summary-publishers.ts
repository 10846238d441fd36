/** The part of the synth summary about topics: who may publish to each, by identity or topic policy. */
import type { SynthDocument } from "./summary.js";
import { conditionWords, list } from "./summary-deploy.js";

type Resources = SynthDocument["resources"];

interface Statement {
  Effect?: string;
  Principal?: "*" | Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const statementsOf = (policy: unknown): Statement[] =>
  typeof policy === "string"
    ? list((JSON.parse(policy) as { Statement?: Statement | Statement[] }).Statement)
    : [];
const publishes = (statement: Statement) =>
  statement.Effect === "Allow" &&
  list(statement.Action).some((action) => /^sns:(Publish|\*)$|^\*$/.test(action));

/**
 * Each topic the stack creates and who may publish to it: role policies (by the role policy's
 * name) and the topic policy's principals with their conditions, e.g. `s3.amazonaws.com when …`.
 */
export function topicPublishers(resources: Resources): string {
  const topics = resources
    .filter((resource) => resource.type === "aws:sns/topic:Topic")
    .map((topic) => String(topic.inputs.name ?? topic.name));
  const lines = topics.map((name) => {
    const isTopic = (arn: string) => arn.split(":")[2] === "sns" && arn.split(":").at(-1) === name;
    const roles = resources
      .filter((resource) => resource.type === "aws:iam/rolePolicy:RolePolicy")
      .filter((policy) =>
        statementsOf(policy.inputs.policy).some(
          (statement) => publishes(statement) && list(statement.Resource).some(isTopic),
        ),
      )
      .map((policy) => policy.name);
    const byTopicPolicy = resources
      .filter((resource) => resource.type === "aws:sns/topicPolicy:TopicPolicy")
      .flatMap((policy) => statementsOf(policy.inputs.policy))
      .filter((statement) => publishes(statement) && list(statement.Resource).some(isTopic))
      .map((statement) => {
        const who =
          statement.Principal === "*" ? ["anyone"] : Object.values(statement.Principal ?? {}).flatMap(list);
        const conditions = conditionWords(statement.Condition);
        return `${who.join(", ")}${conditions.length ? ` when ${conditions.join(" and ")}` : ""}`;
      });
    const who = [...(roles.length ? [`role policies ${roles.join(", ")}`] : []), ...byTopicPolicy];
    return `  ${name}: ${who.join("; ") || "no grant in this stack"}`;
  });
  return ["Who may publish to each topic", ...(lines.length ? lines : ["  none"])].join("\n");
}
