import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ownAccountTrust, type PolicyStatement, policyJson } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

export interface DesignerRoleArgs {
  /** Physical name, fixed so that the access point policy and designers' profiles can name it first. */
  roleName: string;
  placement: Placement;
  /**
   * ARN patterns of this account's roles and users that may assume the role. Empty: any principal
   * of this account whose own identity policies allow it to.
   */
  assumableBy: string[];
  /** What the role may do: the designers' grants on their access point. */
  statements: PolicyStatement[];
}

/**
 * The role designers assume to manage icons, created with the stack so that it deploys into an
 * empty account. Only principals of this account may assume it, narrowed to `assumableBy`.
 */
export class DesignerRole extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: DesignerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:storage:DesignerRole", name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        name: args.roleName,
        description: "Designers manage icons through the designers' access point",
        assumeRolePolicy: policyJson(
          ownAccountTrust("DesignersOfThisAccount", args.placement, args.assumableBy),
        ),
        maxSessionDuration: 3600,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-access`,
      { role: role.id, policy: policyJson(args.statements) },
      { parent: this },
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
