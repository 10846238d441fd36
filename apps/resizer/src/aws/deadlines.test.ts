/**
 * The resizer's AWS adapters on real loopback sockets: a peer that accepts and never answers, and
 * one that stops in the middle of a source's body. Every call ends at its deadline and closes its
 * socket. Times are measured from the request's arrival at the peer (time on the wire).
 */
import { S3Client } from "@aws-sdk/client-s3";
import { clientSettings, DeadlineExceededError } from "@icon-fanout/aws-clients";
import {
  blackHole,
  LOOPBACK_CLIENT,
  type LoopbackPeer,
  MARGIN_MS,
  PeerPool,
  stallsMidBody,
  timedFailure,
} from "@icon-fanout/aws-clients/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { S3_DEADLINES, sqsDeadlines } from "./clients.js";
import { S3ObjectStore } from "./s3-object-store.js";
import { createSqsClient } from "./sqs-client.js";
import { SqsWorkQueue } from "./sqs-work-queue.js";

const CALL_MS = 300;
const pool = new PeerPool();
afterEach(() => pool.closeAll());
const started = (start: () => Promise<LoopbackPeer>) => pool.start(start);
const local = LOOPBACK_CLIENT;

const storeAt = (peer: LoopbackPeer) =>
  new S3ObjectStore(
    new S3Client({
      ...local,
      endpoint: peer.endpoint,
      forcePathStyle: true,
      ...clientSettings(S3_DEADLINES),
    }),
    new Set(["b"]),
    CALL_MS,
  );

describe("S3ObjectStore on a network that stops answering", () => {
  it("ends a read at its call deadline and closes the socket", async () => {
    const hole = await started(blackHole);
    const { sinceRequestMs, error } = await timedFailure(
      () => storeAt(hole).get("b", "icons/a.png", 1024),
      hole,
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toBe("S3 GetObject did not finish within 300 ms");
    expect(sinceRequestMs).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });

  it("ends a read whose body stops half-way at the same deadline, body included", async () => {
    const stalling = await started(() => stallsMidBody(64));
    const { sinceRequestMs, error } = await timedFailure(
      () => storeAt(stalling).get("b", "icons/a.png", 1 << 20),
      stalling,
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(sinceRequestMs).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(stalling.open).toBe(0));
  });

  it("ends a write at once when the work it belongs to is given up", async () => {
    const hole = await started(blackHole);
    const work = new AbortController();
    const output = { contentType: "image/png", cacheControl: "no-cache", metadata: {} };
    setTimeout(() => work.abort(new Error("no progress for 30 s")), 100);
    const { sinceStartMs, error } = await timedFailure(() =>
      storeAt(hole).put("b", "icons-size-16/a.png", Buffer.from("png"), output, work.signal),
    );
    expect(error.message).toBe("no progress for 30 s");
    expect(sinceStartMs).toBeLessThan(100 + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });
});

describe("SqsWorkQueue on a network that stops answering", () => {
  it("ends a delete when its signal aborts and closes the socket", async () => {
    const hole = await started(blackHole);
    const sqs = createSqsClient({ ...local, endpoint: hole.endpoint, ...clientSettings(sqsDeadlines(20)) });
    const queue = new SqsWorkQueue(sqs, `${hole.endpoint}/0/q`, `${hole.endpoint}/0/q-dlq`);
    const message = { messageId: "m1", receiptHandle: "rh", body: "{}", receiveCount: 1 };
    const { sinceRequestMs, error } = await timedFailure(
      () => queue.delete([message], AbortSignal.timeout(CALL_MS)),
      hole,
    );
    expect(error.name).toBe("AbortError");
    expect(sinceRequestMs).toBeLessThan(CALL_MS + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });
});
