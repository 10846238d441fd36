/** Test support: decisions from a real IAM policy engine on the policies the program renders. */
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../src/iam/policy-document.js";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface AccessRequest {
  /** An IAM principal ARN, an account id, or a service principal such as `s3.amazonaws.com`. */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  resourcePolicy?: PolicyDocument;
  /** Identity policies of the principal (cross-account requests need one as well). */
  identityPolicies?: PolicyDocument[];
  /** Request context; `aws:SecureTransport` defaults to "true". */
  context?: Record<string, string | string[]>;
  /**
   * Context keys S3 sets that the simulator's action data does not list for this resource (the
   * access point keys on bucket ARNs). The request is validated without them, then decided with them.
   */
  unlistedContext?: Record<string, string>;
}

export async function decide(request: AccessRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: request.resourceAccount },
      contextVariables: {
        "aws:SecureTransport": "true",
        ...principalContext(request.principal),
        ...request.context,
      },
    },
    identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({
      name: `identity${index}`,
      policy,
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") {
    throw new Error(`simulation rejected the request: ${JSON.stringify(response.errors)}`);
  }
  const ignored = response.resultType === "single" ? (response.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) {
    throw new Error(
      `context keys ${ignored.join(", ")} do not apply to ${request.action}; pass them as unlistedContext`,
    );
  }
  if (!request.unlistedContext) return response.overallResult as Decision;
  const withUnlisted = {
    ...simulation,
    request: {
      ...simulation.request,
      contextVariables: { ...simulation.request.contextVariables, ...request.unlistedContext },
    },
  };
  return runUnsafeSimulation(withUnlisted, {}) as Decision;
}

/** The keys AWS sets for every request by an IAM role or user, which the simulator leaves to the caller. */
function principalContext(principal: string): Record<string, string> {
  const account = /^arn:aws:iam::(\d{12}):(?:role|user)\//.exec(principal)?.[1];
  return account ? { "aws:PrincipalArn": principal, "aws:PrincipalAccount": account } : {};
}

/** An identity policy granting `actions` on `resources`, as the caller's own account would attach. */
export function identityPolicy(actions: string[], resources: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "Caller", Effect: "Allow", Action: actions, Resource: resources }],
  };
}

/** `principal` assuming the role `roleArn` under its `trust` policy; `granted`: its own policies allow the call. */
export function assumeRoleRequest(
  principal: string,
  roleArn: string,
  trust: PolicyDocument,
  granted = true,
): AccessRequest {
  return {
    principal,
    action: "sts:AssumeRole",
    resource: roleArn,
    resourceAccount: roleArn.split(":")[4] ?? "",
    resourcePolicy: trust,
    identityPolicies: granted ? [identityPolicy(["sts:AssumeRole"], [roleArn])] : [],
  };
}
