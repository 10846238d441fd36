import { type KeyLayout, RESIZER_TASK_ROLE_PATH } from "@icon-fanout/config";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  accountRoot,
  denyInsecureTransport,
  type PolicyStatement,
  policyJson,
} from "../iam/policy-document.js";
import type { Placement } from "../placement.js";

export interface IconBucketArgs {
  /** Physical bucket name, e.g. `icon-fanout-prod-222222222222`. Fixed so other stacks can name it. */
  bucketName: string;
  /** Account, region and partition of this stack. */
  placement: Placement;
  /** Where sources are uploaded and outputs written. */
  keys: KeyLayout;
  /** Days a replaced or deleted icon stays recoverable; 0 leaves versioning off. */
  noncurrentVersionRetentionDays: number;
  /**
   * Accounts whose resizer task roles may read sources under the input prefix (shadow processing
   * in another stack); their other principals may not.
   * @default []
   */
  shadowReaders?: string[];
}

/** Actions that access points of this account may be granted (their own policies narrow them further). */
const DELEGATED_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"];

/**
 * The bucket designers upload to and the resizers write to: private (all public access blocked,
 * ACLs off), encrypted with SSE-S3 (readable by shadow accounts without KMS grants), TLS only,
 * and with access control delegated to this account's access points.
 */
export class IconBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;
  /** Resolves once the bucket policy is in place; dependants that rely on it wait for this. */
  readonly policy: aws.s3.BucketPolicy;

  constructor(name: string, args: IconBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("icon-fanout:storage:IconBucket", name, {}, opts);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(name, { bucket: args.bucketName, forceDestroy: false }, parent);
    this.arn = this.bucket.arn;
    this.name = this.bucket.bucket;
    const bucket = this.bucket.bucket;

    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );
    this.createRetention(name, args, parent);

    this.policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket, policy: policyJson(this.arn.apply((arn) => bucketStatements(arn, args))) },
      { parent: this, dependsOn: [publicAccess] },
    );

    this.registerOutputs({ arn: this.arn, name: this.name });
  }

  private createRetention(name: string, args: IconBucketArgs, parent: pulumi.CustomResourceOptions): void {
    const days = args.noncurrentVersionRetentionDays;
    const versioned = days > 0;
    let versioning: aws.s3.BucketVersioning | undefined;
    if (versioned) {
      versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: this.bucket.bucket, versioningConfiguration: { status: "Enabled" } },
        parent,
      );
    }
    const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      },
    ];
    if (versioned) {
      rules.push({
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: days },
        expiration: { expiredObjectDeleteMarker: true },
      });
    }
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: this.bucket.bucket, rules },
      { ...parent, dependsOn: versioning ? [versioning] : [] },
    );
  }
}

/** The bucket policy: TLS only, delegation to access points, and read-only source access for shadow accounts' resizers. */
export function bucketStatements(bucketArn: string, args: IconBucketArgs): PolicyStatement[] {
  const { accountId, partition } = args.placement;
  const statements: PolicyStatement[] = [
    denyInsecureTransport("s3:*", [bucketArn, `${bucketArn}/*`]),
    {
      Sid: "DelegateToOwnAccessPoints",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: DELEGATED_ACTIONS,
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { StringEquals: { "s3:DataAccessPointAccount": accountId } },
    },
  ];
  const readers = args.shadowReaders ?? [];
  if (readers.length > 0) {
    // The accounts as principals (S3 would refuse roles that do not exist yet), narrowed to their
    // resizer task roles by path: granting an account's root would admit any of its principals.
    statements.push({
      Sid: "ShadowResizersReadSources",
      Effect: "Allow",
      Principal: { AWS: readers.map((reader) => accountRoot(partition, reader)) },
      Action: "s3:GetObject",
      Resource: `${bucketArn}/${args.keys.inputPrefix}*`,
      Condition: {
        ArnLike: {
          "aws:PrincipalArn": readers.map(
            (reader) => `arn:${partition}:iam::${reader}:role${RESIZER_TASK_ROLE_PATH}*`,
          ),
        },
      },
    });
  }
  return statements;
}
