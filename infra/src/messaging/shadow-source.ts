import { type StackConfig, shadowTopicProblem } from "@icon-fanout/config";
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../placement.js";

/** The other stack's topic and bucket that a shadowing stack subscribes to and reads from. */
export interface ShadowSource {
  topicArn: pulumi.Output<string>;
  bucketName: pulumi.Output<string>;
}

type ShadowFrom = NonNullable<StackConfig["crossAccount"]["shadowFrom"]>;

/**
 * Resolves `crossAccount.shadowFrom`: names given in the stack file are used as they are; a
 * `stackReference` reads the other stack's `topicArn` and `bucketName` outputs and re-applies
 * the stack-file checks to them, since they are only known at deploy time.
 */
export function resolveShadowSource(
  name: string,
  shadow: ShadowFrom,
  placement: Placement,
  opts: pulumi.CustomResourceOptions,
): ShadowSource {
  if (!shadow.stackReference) {
    return {
      topicArn: pulumi.output(shadow.topicArn ?? ""),
      bucketName: pulumi.output(shadow.bucketName ?? ""),
    };
  }
  const reference = shadow.stackReference;
  const stack = new pulumi.StackReference(name, { name: reference }, opts);
  const output = (key: string) =>
    stack.requireOutput(key).apply((value) => {
      if (typeof value !== "string") throw new Error(`stack ${reference}: output ${key} must be a string`);
      return value;
    });
  const topicArn = output("topicArn").apply((arn) => {
    const problem = shadowTopicProblem(arn, placement.accountId, placement.region);
    if (problem)
      throw new Error(`crossAccount.shadowFrom.stackReference ${reference}: its topicArn ${problem}`);
    return arn;
  });
  return { topicArn, bucketName: output("bucketName") };
}
