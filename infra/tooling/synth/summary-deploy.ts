/** The parts of the synth summary about deploying: role trust, start order, scaling. */
import type { SynthDocument } from "./summary.js";

type Resources = SynthDocument["resources"];
type Resource = Resources[number];

interface TrustStatement {
  Effect?: string;
  Principal?: "*" | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy field that holds one value or several, as a list. */
export const list = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const ofType = (resources: Resources, type: string) => resources.filter((resource) => resource.type === type);
const OPERATORS: Record<string, string> = {
  StringEquals: "=",
  ArnEquals: "=",
  StringLike: "like",
  ArnLike: "like",
};

/** A statement's conditions in words, e.g. `aws:SourceAccount = 111111111111`, leaving out the keys in `skip`. */
export function conditionWords(
  condition: Record<string, Record<string, string | string[]>> | undefined,
  skip: string[] = [],
): string[] {
  return Object.entries(condition ?? {}).flatMap(([operator, pairs]) =>
    Object.entries(pairs)
      .filter(([key]) => !skip.includes(key))
      .map(([key, value]) => `${key} ${OPERATORS[operator] ?? operator} ${list(value).join(" | ")}`),
  );
}

/**
 * Who may assume each role (named with its path unless `/`), with the conditions, e.g.
 * `ecs-tasks.amazonaws.com when aws:SourceAccount = …`.
 */
export function roleTrust(resources: Resources): string {
  const lines = ofType(resources, "aws:iam/role:Role").map((role) => {
    const statements = list(
      (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement?: TrustStatement | TrustStatement[] })
        .Statement,
    ).filter((statement) => statement.Effect === "Allow");
    const who = statements.map((statement) => {
      const principals =
        statement.Principal === "*" ? ["anyone"] : Object.values(statement.Principal ?? {}).flatMap(list);
      const conditions = conditionWords(statement.Condition);
      return `${principals.join(", ")}${conditions.length ? ` when ${conditions.join(" and ")}` : ""}`;
    });
    // A path is part of the contract for roles that other accounts admit by it.
    const path = String(role.inputs.path ?? "/");
    const label = `${path === "/" ? "" : path}${String(role.inputs.name ?? role.name)}`;
    return `  ${label}: ${who.join("; ") || "nobody"}`;
  });
  return ["Who may assume each role", ...(lines.length ? lines : ["  none"])].join("\n");
}

/** The role policies each ECS task definition and service is created after (so tasks can start). */
export function startOrder(resources: Resources): string {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const policiesBefore = (resource: Resource) =>
    resource.dependencies
      .map((urn) => byUrn.get(urn))
      .filter((dependency) => dependency?.type === "aws:iam/rolePolicy:RolePolicy")
      .map((dependency) => dependency?.name)
      .sort()
      .join(", ") || "nothing";
  const lines = ofType(resources, "aws:ecs/service:Service").map((service) => {
    const task = resources.find(
      (resource) =>
        resource.type === "aws:ecs/taskDefinition:TaskDefinition" && resource.name === service.name,
    );
    const forTask = task ? policiesBefore(task) : "no task definition";
    const forService = policiesBefore(service);
    return forTask === forService
      ? `  ${service.name}: task definition and service after ${forService}`
      : `  ${service.name}: task definition after ${forTask}; service after ${forService}`;
  });
  return ["ECS starts tasks only after (role policies)", ...(lines.length ? lines : ["  none"])].join("\n");
}

/** Per scalable target: its range, its target tracking, and each step policy with the alarm that drives it. */
export function scaling(resources: Resources): string {
  const policies = ofType(resources, "aws:appautoscaling/policy:Policy");
  const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm");
  const lines = ofType(resources, "aws:appautoscaling/target:Target").flatMap((target) => {
    const own = policies
      .filter((policy) => policy.inputs.resourceId === target.inputs.resourceId)
      .sort((a, b) => String(b.inputs.policyType).localeCompare(String(a.inputs.policyType)));
    const service = String(target.inputs.resourceId).split("/").pop();
    const out = [
      `  ${service}: ${String(target.inputs.minCapacity)}–${String(target.inputs.maxCapacity)} tasks`,
    ];
    for (const policy of own) {
      const tracking = policy.inputs.targetTrackingScalingPolicyConfiguration as
        | { targetValue: number; customizedMetricSpecification?: { metricName: string } }
        | undefined;
      if (tracking) {
        out.push(
          `    target tracking holds ${tracking.customizedMetricSpecification?.metricName ?? "?"} at ${tracking.targetValue}`,
        );
        continue;
      }
      const step = policy.inputs.stepScalingPolicyConfiguration as
        | { adjustmentType: string; stepAdjustments: { scalingAdjustment: number }[] }
        | undefined;
      const alarm = alarms.find((candidate) => candidate.dependencies.includes(policy.urn));
      const expression = (alarm?.inputs.metricQueries as { expression?: string }[] | undefined)?.find(
        (query) => query.expression,
      )?.expression;
      const adjustment = step?.stepAdjustments[0]?.scalingAdjustment ?? "?";
      out.push(
        `    ${policy.name.split("-scaling-").pop()}: ${step?.adjustmentType} ${step?.adjustmentType === "ChangeInCapacity" ? `+${adjustment}` : adjustment} when ${expression ?? "?"} (${String(alarm?.inputs.evaluationPeriods)} × ${periodOf(alarm)} s)`,
      );
    }
    return out;
  });
  return ["Scaling", ...(lines.length ? lines : ["  none"])].join("\n");
}

function periodOf(alarm: Resource | undefined): string {
  const queries = (alarm?.inputs.metricQueries as { metric?: { period: number } }[] | undefined) ?? [];
  return String(queries.find((query) => query.metric)?.metric?.period ?? "?");
}
