import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";

export interface ListedObject {
  key: string;
  /** Without quotes, as the resizer records it in an output's metadata. */
  etag: string;
  size: number;
}

/**
 * Every object under `prefix`, in S3's order (UTF-8 binary), after `startAfter` when given, one
 * ListObjectsV2 page (up to 1,000 keys) per request. Keys ending in `/` are folder markers, not
 * objects, and are left out.
 */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  options: { startAfter?: string; onPage?: (listed: number) => void } = {},
): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        ...(continuationToken
          ? { ContinuationToken: continuationToken }
          : options.startAfter
            ? { StartAfter: options.startAfter }
            : {}),
      }),
    );
    for (const entry of page.Contents ?? []) {
      if (!entry.Key || entry.Key.endsWith("/")) continue;
      objects.push({ key: entry.Key, etag: (entry.ETag ?? "").replaceAll('"', ""), size: entry.Size ?? 0 });
    }
    options.onPage?.(objects.length);
    continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return objects;
}
