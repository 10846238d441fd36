import { type KeyLayout, outputPrefixFor } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type PolicyStatement, policyJson } from "../iam/policy-document.js";
import type { Placement } from "../naming.js";

export interface DesignerAccessPointArgs {
  /** The bucket the access point fronts. */
  bucket: pulumi.Input<string>;
  placement: Placement;
  keys: KeyLayout;
  /** Output sizes whose resized icons designers may read. */
  iconSizes: number[];
  /** IAM principals (roles, users, account roots) allowed to manage icons. */
  designerArns: string[];
}

/**
 * The designers' way into the bucket: they may upload, replace, read and delete sources under
 * the input prefix, read the resized outputs, and list those prefixes only.
 */
export class DesignerAccessPoint extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;
  /** The bucket-style alias uploads use in place of a bucket name. */
  readonly alias: pulumi.Output<string>;

  constructor(name: string, args: DesignerAccessPointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:storage:DesignerAccessPoint", name, {}, opts);
    if (args.designerArns.length === 0)
      throw new Error(`${name}: designerArns must name at least one principal`);
    const { accountId, region, partition } = args.placement;
    const accessPointName = name.toLowerCase();
    if (accessPointName.length > 50)
      throw new Error(`${name}: access point names are limited to 50 characters`);
    const accessPointArn = `arn:${partition}:s3:${region}:${accountId}:accesspoint/${accessPointName}`;

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
        policy: policyJson(designerStatements(accessPointArn, args)),
      },
      { parent: this },
    );
    this.arn = accessPoint.arn;
    this.alias = accessPoint.alias;
    this.registerOutputs({ arn: this.arn, alias: this.alias });
  }
}

export function designerStatements(accessPointArn: string, args: DesignerAccessPointArgs): PolicyStatement[] {
  const designers = { AWS: args.designerArns };
  const input = args.keys.inputPrefix;
  const outputs = args.iconSizes.map((size) => outputPrefixFor(size, args.keys));
  return [
    {
      Sid: "DesignersManageSources",
      Effect: "Allow",
      Principal: designers,
      Action: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
      Resource: `${accessPointArn}/object/${input}*`,
    },
    {
      Sid: "DesignersReadOutputs",
      Effect: "Allow",
      Principal: designers,
      Action: "s3:GetObject",
      Resource: outputs.map((prefix) => `${accessPointArn}/object/${prefix}*`),
    },
    {
      Sid: "DesignersListIconPrefixes",
      Effect: "Allow",
      Principal: designers,
      Action: "s3:ListBucket",
      Resource: accessPointArn,
      Condition: { StringLike: { "s3:prefix": [input, ...outputs].map((prefix) => `${prefix}*`) } },
    },
  ];
}
