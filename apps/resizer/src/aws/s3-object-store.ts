import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { withDeadline } from "@icon-fanout/aws-clients";
import {
  type ObjectHead,
  type ObjectStore,
  type PutOptions,
  SourceTooLargeError,
  type StoredObject,
} from "../ports.js";

/**
 * S3 through the AWS SDK: sources are read with a size cap, outputs written with their headers.
 *
 * S3 answers 403 instead of 404 for a missing key unless the caller may list the bucket. The
 * resizer may list its own bucket; a shadowed stack's bucket grants only `s3:GetObject`, so there
 * a 403 means "gone" (logged by the caller through the outcome), not a failure to retry.
 *
 * Every call, a body read included, ends after `callMs` or when the caller's signal aborts.
 */
export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly listableBuckets: ReadonlySet<string> = new Set(),
    private readonly callMs = 20_000,
  ) {}

  get(
    bucket: string,
    key: string,
    maxBytes: number,
    signal?: AbortSignal,
  ): Promise<StoredObject | undefined> {
    return withDeadline("S3 GetObject", this.callMs, signal, (abortSignal) =>
      this.read(bucket, key, maxBytes, abortSignal),
    );
  }

  private async read(
    bucket: string,
    key: string,
    maxBytes: number,
    abortSignal: AbortSignal,
  ): Promise<StoredObject | undefined> {
    let response: GetObjectCommandOutput;
    try {
      response = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    } catch (error) {
      if (this.isMissing(bucket, error)) return undefined;
      throw error;
    }
    const body = response.Body as AsyncIterable<Uint8Array> & { destroy?: () => void };
    if ((response.ContentLength ?? 0) > maxBytes) {
      body.destroy?.();
      throw new SourceTooLargeError(response.ContentLength ?? 0, maxBytes, headOf(response));
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        body.destroy?.();
        throw new SourceTooLargeError(total, maxBytes, headOf(response));
      }
      chunks.push(chunk);
    }
    return { body: Buffer.concat(chunks), ...headOf(response) };
  }

  head(bucket: string, key: string, signal?: AbortSignal): Promise<ObjectHead | undefined> {
    return withDeadline("S3 HeadObject", this.callMs, signal, async (abortSignal) => {
      try {
        return headOf(
          await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
        );
      } catch (error) {
        if (this.isMissing(bucket, error)) return undefined;
        throw error;
      }
    });
  }

  exists(bucket: string, key: string, signal?: AbortSignal): Promise<boolean> {
    return withDeadline("S3 HeadObject", this.callMs, signal, async (abortSignal) => {
      try {
        await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        return true;
      } catch (error) {
        if (this.isMissing(bucket, error)) return false;
        throw error;
      }
    });
  }

  async put(
    bucket: string,
    key: string,
    body: Uint8Array,
    options: PutOptions,
    signal?: AbortSignal,
  ): Promise<{ etag: string }> {
    const response = await withDeadline("S3 PutObject", this.callMs, signal, (abortSignal) =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          CacheControl: options.cacheControl,
          Metadata: options.metadata,
        }),
        { abortSignal },
      ),
    );
    return { etag: unquoted(response.ETag) };
  }

  async delete(bucket: string, key: string, signal?: AbortSignal): Promise<void> {
    await withDeadline("S3 DeleteObject", this.callMs, signal, (abortSignal) =>
      this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
    );
  }

  private isMissing(bucket: string, error: unknown): boolean {
    const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404) return true;
    const denied = name === "AccessDenied" || name === "Forbidden" || $metadata?.httpStatusCode === 403;
    return denied && !this.listableBuckets.has(bucket);
  }
}

/** S3 quotes ETags in responses and not in events; results events carry them as events do. */
function unquoted(etag: string | undefined): string {
  return (etag ?? "").replaceAll('"', "");
}

function headOf(response: {
  ETag?: string;
  Metadata?: Record<string, string>;
  VersionId?: string;
}): ObjectHead {
  return {
    etag: unquoted(response.ETag),
    metadata: response.Metadata ?? {},
    ...(response.VersionId ? { versionId: response.VersionId } : {}),
  };
}
