import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { failureText } from "../failure-text.js";
import { inLanes } from "../lanes.js";
import type { UploadItem } from "./plan.js";

export type UploadResult =
  | { item: UploadItem; status: "uploaded" | "unchanged" }
  | { item: UploadItem; status: "failed"; error: string };

/**
 * Uploads through the designers' access point, `concurrency` at a time. A file whose content is
 * already there (same MD5 ETag) is not sent again, so re-running an upload is cheap and triggers
 * no resizing.
 */
export async function uploadAll(
  s3: S3Client,
  accessPoint: string,
  items: UploadItem[],
  options: { concurrency: number; onResult?: (result: UploadResult) => void },
): Promise<UploadResult[]> {
  const results: UploadResult[] = [];
  await inLanes(items, options.concurrency, async (item) => {
    const result = await uploadOne(s3, accessPoint, item);
    results.push(result);
    options.onResult?.(result);
  });
  return results;
}

async function uploadOne(s3: S3Client, accessPoint: string, item: UploadItem): Promise<UploadResult> {
  try {
    const existing = await s3
      .send(new HeadObjectCommand({ Bucket: accessPoint, Key: item.key }))
      .catch((error: unknown) => {
        // Without list permission on the prefix, S3 answers a missing key with 403: treat it as new.
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 404 || status === 403) return undefined;
        throw error;
      });
    if (existing?.ETag?.replaceAll('"', "") === item.md5) return { item, status: "unchanged" };
    await s3.send(
      new PutObjectCommand({
        Bucket: accessPoint,
        Key: item.key,
        Body: item.body,
        ContentType: item.contentType,
        ContentMD5: Buffer.from(item.md5, "hex").toString("base64"),
      }),
    );
    return { item, status: "uploaded" };
  } catch (error) {
    return { item, status: "failed", error: failureText(error) };
  }
}
