import { type KeyLayout, outputPrefixFor } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountRoot, type PolicyStatement, policyJson } from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

export interface DesignerAccessPointArgs {
  /** The bucket the access point fronts. */
  bucket: pulumi.Input<string>;
  placement: Placement;
  keys: KeyLayout;
  /** Output sizes whose resized icons designers may read. */
  iconSizes: number[];
  /** Existing IAM principals (roles, users, account roots) admitted by name; they must exist already. */
  designerArns: string[];
  /**
   * The designers' role this stack creates, admitted by `aws:PrincipalArn` rather than by name: S3
   * refuses a policy naming a role IAM has not yet made visible, and a recreated role keeps access.
   */
  designerRoleArn?: string;
}

/**
 * The designers' way into the bucket: they may upload, replace, read and delete sources under
 * the input prefix, read the resized outputs, and list those prefixes only.
 */
export class DesignerAccessPoint extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  /** The bucket-style alias uploads use in place of a bucket name. */
  readonly alias: pulumi.Output<string>;
  /** What designers may do through this access point, as identity statements for their role. */
  readonly grants: PolicyStatement[];

  constructor(name: string, args: DesignerAccessPointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:storage:DesignerAccessPoint", name, {}, opts);
    if (args.designerArns.length === 0 && !args.designerRoleArn)
      throw new Error(`${name}: name at least one designer principal or the designers' role`);
    const { accountId, region, partition } = args.placement;
    const accessPointName = name.toLowerCase();
    if (accessPointName.length > 50)
      throw new Error(`${name}: access point names are limited to 50 characters`);
    const accessPointArn = `arn:${partition}:s3:${region}:${accountId}:accesspoint/${accessPointName}`;
    this.grants = designerGrants(accessPointArn, args);

    const accessPoint = new aws.s3.AccessPoint(
      name,
      {
        name: accessPointName,
        bucket: args.bucket,
        publicAccessBlockConfiguration: {
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        policy: policyJson(accessPointStatements(this.grants, args)),
      },
      { parent: this },
    );
    this.arn = accessPoint.arn;
    this.alias = accessPoint.alias;
    this.registerOutputs({ arn: this.arn, alias: this.alias });
  }
}

/** Manage sources, read the configured sizes' outputs, list those prefixes: nothing else. */
export function designerGrants(
  accessPointArn: string,
  args: Pick<DesignerAccessPointArgs, "keys" | "iconSizes">,
): PolicyStatement[] {
  const input = args.keys.inputPrefix;
  const outputs = args.iconSizes.map((size) => outputPrefixFor(size, args.keys));
  return [
    {
      Sid: "ManageSources",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
      Resource: `${accessPointArn}/object/${input}*`,
    },
    {
      Sid: "ReadOutputs",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: outputs.map((prefix) => `${accessPointArn}/object/${prefix}*`),
    },
    {
      Sid: "ListIconPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: accessPointArn,
      Condition: { StringLike: { "s3:prefix": [input, ...outputs].map((prefix) => `${prefix}*`) } },
    },
  ];
}

/** The grants for the named principals, and for the designers' role through this account. */
export function accessPointStatements(
  grants: PolicyStatement[],
  args: Pick<DesignerAccessPointArgs, "designerArns" | "designerRoleArn" | "placement">,
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (args.designerArns.length > 0) {
    for (const grant of grants)
      statements.push({ ...grant, Sid: `Designers${grant.Sid}`, Principal: { AWS: args.designerArns } });
  }
  if (args.designerRoleArn) {
    const { partition, accountId } = args.placement;
    for (const grant of grants) {
      statements.push({
        ...grant,
        Sid: `DesignersRole${grant.Sid}`,
        Principal: { AWS: accountRoot(partition, accountId) },
        Condition: { ...grant.Condition, ArnEquals: { "aws:PrincipalArn": args.designerRoleArn } },
      });
    }
  }
  return statements;
}
