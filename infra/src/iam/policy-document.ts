import * as pulumi from "@pulumi/pulumi";

/** IAM policy JSON, typed so that a missing Sid or a misspelt key fails to compile. */
export type PolicyValue = string | string[];

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: "*" | { AWS?: PolicyValue; Service?: PolicyValue };
  Action: PolicyValue;
  /** Absent only in trust policies, which name no resource. */
  Resource?: PolicyValue;
  Condition?: Record<string, Record<string, PolicyValue>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** Renders statements (whose values may still be outputs) to the JSON string AWS expects. */
export function policyJson(statements: pulumi.Input<pulumi.Input<PolicyStatement>[]>): pulumi.Output<string> {
  return pulumi
    .output(statements)
    .apply((resolved) =>
      JSON.stringify({ Version: "2012-10-17", Statement: resolved } satisfies PolicyDocument),
    );
}

/** Refuses every request on `resources` that does not use TLS. */
export function denyInsecureTransport(action: PolicyValue, resources: PolicyValue): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

export function accountRoot(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}
