import * as pulumi from "@pulumi/pulumi";
import { createPeopleRole } from "../iam/people-role.js";
import type { PolicyStatement } from "../iam/policy-document.js";
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
    const role = createPeopleRole(
      name,
      {
        roleName: args.roleName,
        description: "Designers manage icons through the designers' access point",
        placement: args.placement,
        assumableBy: args.assumableBy,
        trustSid: "DesignersOfThisAccount",
        statements: args.statements,
      },
      this,
    );
    this.arn = role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
