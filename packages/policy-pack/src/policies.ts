import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  type DocumentKind,
  documentsOf,
  list,
  ROLE,
  ROLE_POLICY,
  type Statement,
  statementsOf,
} from "./documents.js";
import {
  deniesInsecureTransport,
  EXECUTION_ROLE_ACTIONS,
  everyoneNotNarrowed,
  isEcsExecutionTrust,
  serviceWithoutSource,
  wildcardIdentityGrant,
} from "./statement-checks.js";

/** Resource policies that must refuse requests without TLS (an access point is covered by its bucket's). */
const TLS_ONLY_TYPES = new Set([
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sqs/queuePolicy:QueuePolicy",
]);

export const serviceSourceConditions = statementPolicy({
  name: "service-principals-have-source-conditions",
  description:
    "Every resource policy and trust policy that allows an AWS service carries aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths (no confused deputy).",
  kinds: ["resource", "trust"],
  // An execution role's trust is checked with its permissions by `ecs-execution-roles-only-pull-and-log`.
  check: (statement, kind) =>
    kind === "trust" && isEcsExecutionTrust(statement) ? [] : list(serviceWithoutSource(statement)),
});

export const ecsExecutionRoles: StackValidationPolicy = {
  name: "ecs-execution-roles-only-pull-and-log",
  description:
    "A role that trusts ecs-tasks.amazonaws.com without a source condition (as ECS documents the task execution role) may only pull images and write logs.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const roles = args.resources.filter(
      (resource) =>
        resource.type === ROLE &&
        (statementsOf(resource.props.assumeRolePolicy) ?? []).some(isEcsExecutionTrust),
    );
    if (roles.length === 0) args.notApplicable();
    for (const role of roles) {
      const attached = args.resources.filter(
        (resource) => resource.type === ROLE_POLICY && attachedTo(resource, role),
      );
      const grants = [role, ...attached].flatMap((resource) =>
        documentsOf(resource.type, resource.props).filter((document) => document.kind === "identity"),
      );
      const extra = new Set(
        grants.flatMap(({ statements }) =>
          statements
            .filter((statement) => statement.Effect === "Allow")
            .flatMap((statement) =>
              statement.NotAction !== undefined
                ? ["NotAction"]
                : list(statement.Action).filter((action) => !EXECUTION_ROLE_ACTIONS.has(action)),
            ),
        ),
      );
      if (list(role.props.managedPolicyArns as string[] | undefined).length > 0)
        extra.add("managed policies");
      const attachments = args.resources.filter(
        (resource) =>
          resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && attachedTo(resource, role),
      );
      if (attachments.length > 0) extra.add("managed policies");
      if (extra.size > 0) {
        reportViolation(
          `role ${role.name} trusts ecs-tasks.amazonaws.com without a source condition, which only a task execution role may, but it may also use ${[...extra].join(", ")}`,
          role.urn,
        );
      }
    }
  },
};

export const everyoneNarrowed = statementPolicy({
  name: "grants-to-everyone-narrow-the-principal",
  description:
    "No resource or trust policy allows any principal (*) without a condition on the calling principal's ARN, account or organization, the source a service acts for, or the owner of an S3 access point, naming its account or organization.",
  kinds: ["resource", "trust"],
  check: (statement) => list(everyoneNotNarrowed(statement)),
});

export const noWildcardIdentityGrants = statementPolicy({
  name: "no-wildcard-identity-grants",
  description:
    'Identity policies name their actions and resources: no "*" or "service:*" actions, no NotAction or NotResource, and Resource "*" only with a condition or for actions AWS authorizes on "*" alone.',
  kinds: ["identity"],
  check: wildcardIdentityGrant,
});

export const tlsOnly: ResourceValidationPolicy = {
  name: "resource-policies-deny-insecure-transport",
  description:
    "Every bucket, topic and queue policy denies requests without TLS (aws:SecureTransport false).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!TLS_ONLY_TYPES.has(args.type)) args.notApplicable();
    const statements = statementsOf(args.props.policy) ?? [];
    if (!statements.some(deniesInsecureTransport)) {
      reportViolation(
        'policy: no statement denies every principal\'s requests when "aws:SecureTransport" is "false"',
      );
    }
  },
};

/** The pack's policies: one set for every stack of the project. */
export const policies = [
  serviceSourceConditions,
  ecsExecutionRoles,
  everyoneNarrowed,
  noWildcardIdentityGrants,
  tlsOnly,
];

/** A mandatory policy that checks every statement of the documents of `kinds` a resource carries. */
function statementPolicy(policy: {
  name: string;
  description: string;
  kinds: DocumentKind[];
  check: (statement: Statement, kind: DocumentKind) => string[];
}): ResourceValidationPolicy {
  return {
    name: policy.name,
    description: policy.description,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
      const documents = documentsOf(args.type, args.props).filter((document) =>
        policy.kinds.includes(document.kind),
      );
      if (documents.length === 0) args.notApplicable();
      for (const { kind, property, statements } of documents) {
        for (const statement of statements) {
          for (const problem of policy.check(statement, kind)) reportViolation(`${property}: ${problem}`);
        }
      }
    },
  };
}

/** A role policy or attachment belongs to `role` when its `role` property names it or came from it. */
function attachedTo(resource: PolicyResource, role: PolicyResource): boolean {
  const named = resource.props.role;
  if (named !== undefined && [role.props.name, role.props.id, role.props.arn].includes(named)) return true;
  const sources = [...(resource.propertyDependencies.role ?? []), ...resource.dependencies];
  return sources.some((source) => source.urn === role.urn);
}
