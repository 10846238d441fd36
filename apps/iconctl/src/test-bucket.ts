/** Test support: one bucket in memory behind a mocked S3Client, answering listings and HEADs as S3 does. */
import { createHash } from "node:crypto";
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { AwsClientStub } from "aws-sdk-client-mock";

export interface StoredObject {
  etag: string;
  size: number;
  metadata: Record<string, string>;
}

export class TestBucket {
  readonly objects = new Map<string, StoredObject>();
  /** Every ListObjectsV2 request, as sent. */
  readonly listings: { Prefix?: string; StartAfter?: string; ContinuationToken?: string }[] = [];
  heads = 0;

  /**
   * @param pageSize keys per listing page; S3's is 1,000, a small one exercises paging.
   */
  constructor(
    s3: AwsClientStub<S3Client>,
    private readonly pageSize = 1000,
  ) {
    s3.on(ListObjectsV2Command).callsFake((input) => this.list(input));
    s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
      this.heads += 1;
      const object = this.objects.get(input.Key);
      if (!object)
        throw Object.assign(new Error("NotFound"), { name: "NotFound", $metadata: { httpStatusCode: 404 } });
      return { ETag: `"${object.etag}"`, ContentLength: object.size, Metadata: object.metadata };
    });
  }

  /** A source whose ETag is the MD5 of `content`, as for a single-part upload. */
  putSource(key: string, content = key): StoredObject {
    const object = {
      etag: createHash("md5").update(content).digest("hex"),
      size: content.length,
      metadata: {},
    };
    this.objects.set(key, object);
    return object;
  }

  putOutput(key: string, metadata: Record<string, string>): void {
    this.objects.set(key, { etag: createHash("md5").update(key).digest("hex"), size: 100, metadata });
  }

  private list(input: { Prefix?: string; StartAfter?: string; ContinuationToken?: string }) {
    this.listings.push(input);
    // S3 orders keys by their UTF-8 bytes; the continuation token here is simply the last key sent.
    const after = input.ContinuationToken ?? input.StartAfter;
    const keys = [...this.objects.keys()]
      .filter((key) => key.startsWith(input.Prefix ?? ""))
      .filter((key) => after === undefined || Buffer.compare(Buffer.from(key), Buffer.from(after)) > 0)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, this.pageSize);
    const truncated = keys.length > page.length;
    return {
      Contents: page.map((key) => {
        const object = this.objects.get(key) as StoredObject;
        return { Key: key, ETag: `"${object.etag}"`, Size: object.size };
      }),
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: page.at(-1) } : {}),
    };
  }
}
