/**
 * The resizer's AWS adapters on real loopback sockets: a peer that accepts and never answers, and
 * one that stops in the middle of a source's body. Every call ends at its deadline and closes its socket.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { clientSettings, DeadlineExceededError } from "@icon-fanout/aws-clients";
import { blackHole, type LoopbackPeer, stallsMidBody, timedFailure } from "@icon-fanout/aws-clients/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { S3_DEADLINES, sqsDeadlines } from "./clients.js";
import { S3ObjectStore } from "./s3-object-store.js";
import { createSqsClient } from "./sqs-client.js";
import { SqsWorkQueue } from "./sqs-work-queue.js";

const CALL_MS = 300;
const MARGIN_MS = 1_500;
const local = { region: "eu-west-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

let peer: LoopbackPeer | undefined;
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

const storeAt = (endpoint: string) =>
  new S3ObjectStore(
    new S3Client({ ...local, endpoint, forcePathStyle: true, ...clientSettings(S3_DEADLINES) }),
    new Set(["b"]),
    CALL_MS,
  );

describe("S3ObjectStore on a network that stops answering", () => {
  it("ends a read at its call deadline and closes the socket", async () => {
    peer = await blackHole();
    const { ms, error } = await timedFailure(storeAt(peer.endpoint).get("b", "icons/a.png", 1024));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toBe("S3 GetObject did not finish within 300 ms");
    expect(ms).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(peer?.open).toBe(0));
  });

  it("ends a read whose body stops half-way at the same deadline, body included", async () => {
    peer = await stallsMidBody(64);
    const { ms, error } = await timedFailure(storeAt(peer.endpoint).get("b", "icons/a.png", 1 << 20));
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(ms).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(peer?.open).toBe(0));
  });

  it("ends a write at once when the work it belongs to is given up", async () => {
    peer = await blackHole();
    const work = new AbortController();
    setTimeout(() => work.abort(new Error("no progress for 30 s")), 100);
    const { ms, error } = await timedFailure(
      storeAt(peer.endpoint).put(
        "b",
        "icons-size-16/a.png",
        Buffer.from("png"),
        {
          contentType: "image/png",
          cacheControl: "no-cache",
          metadata: {},
        },
        work.signal,
      ),
    );
    expect(error.message).toBe("no progress for 30 s");
    expect(ms).toBeLessThan(100 + MARGIN_MS);
    await vi.waitFor(() => expect(peer?.open).toBe(0));
  });
});

describe("SqsWorkQueue on a network that stops answering", () => {
  it("ends a delete when its signal aborts and closes the socket", async () => {
    peer = await blackHole();
    const sqs = createSqsClient({ ...local, endpoint: peer.endpoint, ...clientSettings(sqsDeadlines(20)) });
    const queue = new SqsWorkQueue(sqs, `${peer.endpoint}/0/q`, `${peer.endpoint}/0/q-dlq`);
    const message = { messageId: "m1", receiptHandle: "rh", body: "{}", receiveCount: 1 };
    const { ms, error } = await timedFailure(queue.delete([message], AbortSignal.timeout(CALL_MS)));
    expect(error.name).toBe("AbortError");
    expect(ms).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(peer?.open).toBe(0));
  });
});
