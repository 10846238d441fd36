import { describe, expect, it } from "vitest";
import { runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

describe("the icon bucket", () => {
  it("blocks all public access, enforces ownership, encrypts with SSE-S3 and keeps versions", () => {
    expect(
      only(prod.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      only(prod.resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule,
    ).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    expect(
      only(
        prod.resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    const lifecycle = only(
      prod.resources,
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    );
    expect(lifecycle.inputs.rules).toContainEqual(
      expect.objectContaining({ noncurrentVersionExpiration: { noncurrentDays: 30 } }),
    );
    expect(
      only(prod.resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
  });

  it("leaves versioning off when no retention is configured", async () => {
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:bucket": { noncurrentVersionRetentionDays: 0 } }),
      "prod",
    );
    expect(ofType(run.resources, "aws:s3/bucketVersioning:BucketVersioning")).toHaveLength(0);
  });
});
