import type { S3Client } from "@aws-sdk/client-s3";
import { outputKey, outputPrefixFor, type StackOutputs } from "@icon-fanout/config";
import { listObjects } from "./listing.js";

export interface SizeCoverage {
  size: number;
  /** Sources whose output for this size does not exist (twins, sharing one output, count once). */
  withoutOutput: number;
  /** Objects under the size's output prefix. */
  outputs: number;
}

/**
 * Per size, how many sources have no output yet, by listing the input prefix once and each size's
 * output prefix: one request per 1,000 keys and prefix, so its time grows with the bucket.
 */
export async function readCoverage(s3: S3Client, outputs: StackOutputs): Promise<SizeCoverage[]> {
  const layout = outputs.keyLayout;
  const [sources, ...listings] = await Promise.all([
    listObjects(s3, outputs.bucketName, layout.inputPrefix),
    ...outputs.sizes.map(({ size }) => listObjects(s3, outputs.bucketName, outputPrefixFor(size, layout))),
  ]);
  return outputs.sizes.map(({ size }, index) => {
    const present = new Set(listings[index]?.map((output) => output.key));
    const needed = new Set(sources.map((source) => outputKey(source.key, size, layout)));
    return {
      size,
      withoutOutput: [...needed].filter((key) => !present.has(key)).length,
      outputs: present.size,
    };
  });
}
