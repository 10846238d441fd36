/**
 * The provider components the program uses (awsx's, which run inside the awsx plugin), built the
 * way the plugin builds them: under the mock engine no plugin runs, so the engine registers their
 * children itself and answers their outputs. Follows pulumi-awsx 3.9 (awsx/ecr/repository.ts).
 */
import { createHash } from "node:crypto";

type Inputs = Record<string, unknown>;

/** A child resource registered for a component, with what the engine answered for it. */
export interface ChildResource {
  urn: string;
  id: string;
  state: Inputs;
}

/** What building a component may do: register its children, and refer to them in its outputs. */
export interface ComponentHost {
  child(type: string, name: string, inputs: Inputs, dependsOn?: ChildResource[]): ChildResource;
  /** The child as a resource reference, the way a provider returns a resource among a component's outputs. */
  reference(child: ChildResource): unknown;
}

/** Builds a component from its inputs; returns its outputs. */
export type ComponentBuilder = (name: string, inputs: Inputs, host: ComponentHost) => Inputs;

export const PROVIDER_COMPONENTS: Readonly<Record<string, ComponentBuilder>> = {
  "awsx:ecr:Repository": repository,
  "awsx:ecr:Image": image,
};

interface LifecycleRule {
  description?: string;
  tagStatus: "any" | "untagged" | "tagged";
  tagPrefixList?: string[];
  maximumNumberOfImages?: number;
  maximumAgeLimit?: number;
}

/** An ECR repository and, unless `lifecyclePolicy.skip`, its lifecycle policy: both named after the component in lower case. */
function repository(name: string, inputs: Inputs, host: ComponentHost): Inputs {
  const { lifecyclePolicy, ...repositoryInputs } = inputs as Inputs & {
    lifecyclePolicy?: { rules?: LifecycleRule[]; skip?: boolean };
  };
  const childName = name.toLowerCase();
  const repo = host.child("aws:ecr/repository:Repository", childName, repositoryInputs);
  const outputs: Inputs = { repository: host.reference(repo), url: repo.state.repositoryUrl };
  if (!lifecyclePolicy?.skip) {
    const policy = host.child(
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
      childName,
      {
        repository: repo.state.name,
        policy: lifecyclePolicyDocument(lifecyclePolicy?.rules),
        ...(inputs.region !== undefined ? { region: inputs.region } : {}),
      },
      [repo],
    );
    outputs.lifecyclePolicy = host.reference(policy);
  }
  return outputs;
}

/**
 * The ECR lifecycle policy document awsx writes for `rules`: rules in the order given, the one
 * `any` rule last (it must have the highest priority number); without rules, untagged images expire.
 */
export function lifecyclePolicyDocument(rules: LifecycleRule[] | undefined): Inputs {
  const given = rules ?? [
    { description: "remove untagged images", tagStatus: "untagged", maximumNumberOfImages: 1 },
  ];
  const anyRules = given.filter((rule) => rule.tagStatus === "any");
  if (anyRules.length > 1) throw new Error('At most one [selection: "any"] rule can be provided.');
  const ordered = [...given.filter((rule) => rule.tagStatus !== "any"), ...anyRules];
  return {
    rules: ordered.map((rule, index) => ({
      rulePriority: index + 1,
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      selection: { ...tagSelection(rule), ...countSelection(rule) },
      action: { type: "expire" },
    })),
  };
}

function tagSelection(rule: LifecycleRule): Inputs {
  if (rule.tagStatus !== "tagged") return { tagStatus: rule.tagStatus };
  if (!rule.tagPrefixList?.length) throw new Error("tagPrefixList cannot be empty.");
  return { tagStatus: "tagged", tagPrefixList: rule.tagPrefixList };
}

function countSelection(rule: LifecycleRule): Inputs {
  if (rule.maximumNumberOfImages !== undefined)
    return { countType: "imageCountMoreThan", countNumber: rule.maximumNumberOfImages };
  if (rule.maximumAgeLimit !== undefined)
    return { countType: "sinceImagePushed", countNumber: rule.maximumAgeLimit, countUnit: "days" };
  throw new Error("Either [maximumNumberOfImages] or [maximumAgeLimit] must be provided with a rule.");
}

/**
 * What awsx.ecr.Image reports after a push: the repository URL pinned to a digest of what was
 * built. Another build tag (another build context) gives another digest, as a real build would.
 */
function image(_name: string, inputs: Inputs): Inputs {
  const digest = createHash("sha256")
    .update(JSON.stringify([inputs.dockerfile, inputs.platform, inputs.imageTag ?? null]))
    .digest("hex");
  return { imageUri: `${String(inputs.repositoryUrl)}@sha256:${digest}` };
}
