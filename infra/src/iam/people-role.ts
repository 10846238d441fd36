import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../placement.js";
import { withIdentityCenterShapes } from "./identity-center.js";
import { accountRoot, type PolicyStatement, policyJson } from "./policy-document.js";

export interface PeopleRoleArgs {
  /** Physical name, fixed so that policies and people's profiles can name it before the deploy. */
  roleName: string;
  description: string;
  placement: Placement;
  /**
   * ARN patterns of this account's roles and users that may assume the role (an Identity Center
   * role pattern also matches its other path shape). Empty: any principal of this account whose
   * own identity policies allow it to.
   */
  assumableBy: string[];
  /** The trust statement's Sid, e.g. `DesignersOfThisAccount`. */
  trustSid: string;
  /** What the role may do. */
  statements: pulumi.Input<pulumi.Input<PolicyStatement>[]>;
}

/**
 * A role people assume, created with the stack so that it deploys into an empty account: the role
 * `name` (one-hour sessions) and its inline policy `<name>-access`, both children of `parent`.
 */
export function createPeopleRole(name: string, args: PeopleRoleArgs, parent: pulumi.Resource): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    {
      name: args.roleName,
      description: args.description,
      assumeRolePolicy: policyJson(ownAccountTrust(args.trustSid, args.placement, args.assumableBy)),
      maxSessionDuration: 3600,
    },
    { parent },
  );
  new aws.iam.RolePolicy(
    `${name}-access`,
    { role: role.id, policy: policyJson(args.statements) },
    { parent },
  );
  return role;
}

/**
 * Principals of this account only, and of those only the ones matching `assumableBy` when it names
 * any, Identity Center role patterns in both of their path shapes.
 */
export function ownAccountTrust(
  sid: string,
  { partition, accountId }: Placement,
  assumableBy: string[],
): PolicyStatement[] {
  return [
    {
      Sid: sid,
      Effect: "Allow",
      Principal: { AWS: accountRoot(partition, accountId) },
      Action: "sts:AssumeRole",
      ...(assumableBy.length > 0
        ? { Condition: { ArnLike: { "aws:PrincipalArn": withIdentityCenterShapes(assumableBy) } } }
        : {}),
    },
  ];
}
