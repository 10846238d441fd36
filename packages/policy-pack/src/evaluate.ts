import type {
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { policies as packPolicies } from "./policies.js";

/** A resource as `pnpm synth` records it (`synth/<stack>.json`), or as a test's mock engine does. */
export interface RecordedResource {
  type: string;
  name: string;
  urn: string;
  parent: string | null;
  inputs: Record<string, unknown>;
  /** URNs of the resources this one depends on. */
  dependencies: string[];
}

export interface Violation {
  policy: string;
  /** The resource in violation; a stack policy may report the stack as a whole (no URN). */
  urn?: string;
  message: string;
}

export interface Evaluation {
  violations: Violation[];
  /** Per policy, how many resources (or stacks) it applied to, i.e. did not call `notApplicable`. */
  applied: Record<string, number>;
}

class NotApplicable extends Error {}

const OPTIONS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

/**
 * Runs a pack's policies over recorded resources the way the Pulumi engine runs them during
 * `pulumi preview --policy-pack`: each resource validation on every resource's inputs, then each
 * stack validation once over all resources with their parents and dependencies linked.
 */
export async function evaluatePolicies(
  resources: readonly RecordedResource[],
  policies: Policies = packPolicies,
): Promise<Evaluation> {
  const evaluation: Evaluation = { violations: [], applied: {} };
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  const run = async (name: string, check: () => unknown) => {
    try {
      await check();
      evaluation.applied[name] = (evaluation.applied[name] ?? 0) + 1;
    } catch (error) {
      if (!(error instanceof NotApplicable)) throw error;
    }
  };
  const stack = policyResources(resources);

  for (const policy of policies) {
    if ("validateResource" in policy && policy.validateResource) {
      for (const resource of stack) {
        const args: ResourceValidationArgs = {
          ...typed(resource.type, resource.props),
          type: resource.type,
          props: resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          stackTags: new Map(),
          getConfig: <T extends object>() => ({}) as T,
          notApplicable,
        };
        const report = (message: string) =>
          evaluation.violations.push({ policy: policy.name, urn: resource.urn, message });
        for (const validate of [policy.validateResource].flat()) {
          await run(policy.name, () => validate(args, report));
        }
      }
    }
    if ("validateStack" in policy) {
      const args: StackValidationArgs = {
        resources: stack,
        stackTags: new Map(),
        getConfig: <T extends object>() => ({}) as T,
        notApplicable,
      };
      const report = (message: string, urn?: string) =>
        evaluation.violations.push({ policy: policy.name, ...(urn ? { urn } : {}), message });
      await run(policy.name, () => policy.validateStack(args, report));
    }
  }
  return evaluation;
}

function policyResources(resources: readonly RecordedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const resource of resources) {
    byUrn.set(resource.urn, {
      ...typed(resource.type, resource.inputs),
      type: resource.type,
      props: resource.inputs,
      urn: resource.urn,
      name: resource.name,
      opts: { ...OPTIONS, ...(resource.parent ? { parent: resource.parent } : {}) },
      dependencies: [],
      propertyDependencies: {},
    } as PolicyResource);
  }
  for (const resource of resources) {
    const linked = byUrn.get(resource.urn) as PolicyResource;
    const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
    if (parent) linked.parent = parent;
    linked.dependencies = resource.dependencies.flatMap((urn) => byUrn.get(urn) ?? []);
  }
  return [...byUrn.values()];
}

/** `isType`/`asType` as the engine answers them: by the class's Pulumi type token. */
function typed(type: string, props: Record<string, unknown>) {
  const matches = (resourceClass: unknown) =>
    (resourceClass as { __pulumiType?: string }).__pulumiType === type;
  return {
    isType: (resourceClass: unknown) => matches(resourceClass),
    asType: (resourceClass: unknown) => (matches(resourceClass) ? (props as never) : undefined),
  };
}
