import { Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { OUTPUT_METADATA } from "@icon-fanout/config";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SourceTooLargeError } from "../ports.js";
import { OUTPUT_CACHE_CONTROL } from "../process-object.js";
import { S3ObjectStore } from "./s3-object-store.js";

const s3Mock = mockClient(S3Client);
afterEach(() => s3Mock.reset());
const store = () => new S3ObjectStore(new S3Client({ region: "eu-west-1" }));
const body = (bytes: Buffer) => sdkStreamMixin(Readable.from([bytes]));
const notFound = (name: string) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: 404 } });

describe("S3ObjectStore", () => {
  it("reads a source and its ETag", async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: body(Buffer.from("png!")), ContentLength: 4, ETag: '"abc"' });
    expect(await store().get("b", "icons/a.png", 10)).toEqual({ body: Buffer.from("png!"), etag: "abc" });
  });

  it("answers undefined for a missing source", async () => {
    s3Mock.on(GetObjectCommand).rejects(notFound("NoSuchKey"));
    expect(await store().get("b", "icons/a.png", 10)).toBeUndefined();
  });

  it("refuses a source over the limit from its length, without reading it", async () => {
    let pulled = false;
    const stream = new Readable({
      read() {
        pulled = true;
        this.push(Buffer.alloc(20));
        this.push(null);
      },
    });
    s3Mock.on(GetObjectCommand).resolves({ Body: sdkStreamMixin(stream), ContentLength: 20 });
    await expect(store().get("b", "icons/a.png", 10)).rejects.toBeInstanceOf(SourceTooLargeError);
    expect(pulled).toBe(false);
    expect(stream.destroyed).toBe(true);
  });

  it("refuses a source that streams more than it announced", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body(Buffer.alloc(20)), ContentLength: 5 });
    await expect(store().get("b", "icons/a.png", 10)).rejects.toThrow(
      "the file is 20 bytes, over the 10-byte limit",
    );
  });

  it("tells a missing object from an error", async () => {
    s3Mock.on(HeadObjectCommand).rejectsOnce(notFound("NotFound")).rejectsOnce(new Error("AccessDenied"));
    expect(await store().exists("b", "k")).toBe(false);
    await expect(store().exists("b", "k")).rejects.toThrow("AccessDenied");
  });

  it("writes outputs with their content type, cache control and metadata", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    await store().put("b", "icons-size-16/a.png", Buffer.from("x"), {
      contentType: "image/png",
      cacheControl: OUTPUT_CACHE_CONTROL,
      metadata: { [OUTPUT_METADATA.sourceEtag]: "abc" },
    });
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: "b",
      Key: "icons-size-16/a.png",
      Body: Buffer.from("x"),
      ContentType: "image/png",
      CacheControl: OUTPUT_CACHE_CONTROL,
      Metadata: { [OUTPUT_METADATA.sourceEtag]: "abc" },
    });
  });
});

describe("S3ObjectStore on a bucket it may not list", () => {
  const denied = () =>
    Object.assign(new Error("Forbidden"), { name: "Forbidden", $metadata: { httpStatusCode: 403 } });

  it("reads a 403 from a shadowed bucket as a missing key", async () => {
    s3Mock.on(HeadObjectCommand).rejects(denied());
    s3Mock.on(GetObjectCommand).rejects(denied());
    const store = new S3ObjectStore(new S3Client({ region: "eu-west-1" }), new Set(["own-bucket"]));
    expect(await store.exists("prod-bucket", "icons/a.png")).toBe(false);
    expect(await store.get("prod-bucket", "icons/a.png", 10)).toBeUndefined();
  });

  it("keeps a 403 from its own bucket an error, so a broken role is not mistaken for deletions", async () => {
    s3Mock.on(HeadObjectCommand).rejects(denied());
    const store = new S3ObjectStore(new S3Client({ region: "eu-west-1" }), new Set(["own-bucket"]));
    await expect(store.exists("own-bucket", "icons/a.png")).rejects.toThrow("Forbidden");
  });
});
