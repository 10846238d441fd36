/**
 * The deadlines against real sockets on 127.0.0.1, with the SDK and the HTTP handler versions that
 * are locked: a peer that accepts and never answers, and one that stops in the middle of a body.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CallDeadlines, clientSettings } from "./deadlines.js";
import {
  blackHole,
  timedFailure as failure,
  LOOPBACK_CLIENT,
  type LoopbackPeer,
  MARGIN_MS,
  PeerPool,
  TEST_DEADLINES as SHORT,
  stallsMidBody,
} from "./testing/index.js";
import { DeadlineExceededError, withDeadline } from "./with-deadline.js";

const pool = new PeerPool();
afterEach(async () => {
  await pool.closeAll();
  vi.restoreAllMocks();
});
const peer = (start: () => Promise<LoopbackPeer>) => pool.start(start);
const local = LOOPBACK_CLIENT;

const sqsAt = (endpoint: string, deadlines: CallDeadlines) =>
  new SQSClient({ ...local, endpoint, ...clientSettings(deadlines), useQueueUrlAsEndpoint: false });
const readQueue = (sqs: SQSClient, options: { abortSignal?: AbortSignal } = {}) =>
  sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: "http://127.0.0.1/0/q", AttributeNames: ["All"] }),
    options,
  );

describe("a client built with clientSettings, against a peer that accepts and never answers", () => {
  it("fails the call once its attempt deadline passes, and closes the socket", async () => {
    const hole = await peer(blackHole);
    // Only the attempt deadline is short: neither a slow connect on a busy machine nor the socket's silence ends it first.
    const attemptOnly = { ...SHORT, connectMs: 5_000, idleMs: 5_000 };
    const { sinceStartMs, sinceRequestMs, error } = await failure(
      () => readQueue(sqsAt(hole.endpoint, attemptOnly)),
      hole,
    );
    expect(error.name).toBe("TimeoutError");
    expect(error.message).toContain("300 ms requestTimeout");
    expect(sinceStartMs).toBeGreaterThanOrEqual(280);
    expect(sinceRequestMs).toBeLessThan(300 + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
    expect(hole.accepted).toBe(1);
  });

  it("retries on a new connection each time and still ends after its last attempt", async () => {
    const hole = await peer(blackHole);
    const deadlines = { ...SHORT, maxAttempts: 3 };
    const { sinceStartMs, sinceRequestMs, error } = await failure(
      () => readQueue(sqsAt(hole.endpoint, deadlines)),
      hole,
    );
    expect(error.name).toBe("TimeoutError");
    expect(hole.accepted).toBe(3);
    // Three attempts and the SDK's two first retry delays (at most 0.1 s and 0.2 s).
    expect(sinceStartMs).toBeGreaterThanOrEqual(3 * 280);
    expect(sinceRequestMs).toBeLessThan(3 * 300 + 300 + MARGIN_MS);
  });

  it("(the handler's requestTimeout alone, for contrast) only warns, and the call waits on", async () => {
    const hole = await peer(blackHole);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sqs = new SQSClient({
      ...local,
      endpoint: hole.endpoint,
      maxAttempts: 1,
      useQueueUrlAsEndpoint: false,
      requestHandler: { connectionTimeout: 200, requestTimeout: 300 },
    });
    const controller = new AbortController();
    let settled = false;
    const call = readQueue(sqs, { abortSignal: controller.signal }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 300 * 4));
    expect(settled).toBe(false);
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual([
      expect.stringContaining("[WARN] a request has exceeded the configured 300 ms requestTimeout"),
    ]);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("a response that stops in the middle of its body", () => {
  it("fails the read once the socket has been silent for the idle deadline", async () => {
    const stalling = await peer(() => stallsMidBody());
    const s3 = new S3Client({
      ...local,
      endpoint: stalling.endpoint,
      forcePathStyle: true,
      ...clientSettings({ ...SHORT, connectMs: 1_000, attemptMs: 5_000 }),
    });
    const response = await s3.send(new GetObjectCommand({ Bucket: "b", Key: "icons/a.png" }));
    const { error } = await failure(async () => response.Body?.transformToByteArray());
    // The peer answered as soon as the request arrived; silence began then.
    const silentMs = performance.now() - (stalling.arrivals[0] ?? 0);
    expect(error.message).toContain("timed out after 300 ms of inactivity");
    expect(silentMs).toBeGreaterThanOrEqual(280);
    expect(silentMs).toBeLessThan(300 + MARGIN_MS);
    await vi.waitFor(() => expect(stalling.open).toBe(0));
  });
});

describe("withDeadline: a total time for one call", () => {
  const patient: CallDeadlines = { connectMs: 5_000, idleMs: 60_000, attemptMs: 60_000, maxAttempts: 3 };

  it("aborts the call at its deadline, closing the socket, though every attempt deadline is far off", async () => {
    const hole = await peer(blackHole);
    const sqs = sqsAt(hole.endpoint, patient);
    const { sinceStartMs, sinceRequestMs, error } = await failure(
      () =>
        withDeadline("GetQueueAttributes", 300, undefined, (abortSignal) => readQueue(sqs, { abortSignal })),
      hole,
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.message).toBe("GetQueueAttributes did not finish within 300 ms");
    expect(sinceStartMs).toBeGreaterThanOrEqual(280);
    expect(sinceRequestMs).toBeLessThan(300 + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });

  it("ends the call when its caller's signal aborts first, with the caller's reason", async () => {
    const hole = await peer(blackHole);
    const sqs = sqsAt(hole.endpoint, patient);
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error("stopping")), 100);
    const { sinceStartMs, error } = await failure(() =>
      withDeadline("GetQueueAttributes", 60_000, stop.signal, (abortSignal) =>
        readQueue(sqs, { abortSignal }),
      ),
    );
    expect(error.message).toBe("stopping");
    expect(sinceStartMs).toBeLessThan(100 + MARGIN_MS);
    await vi.waitFor(() => expect(hole.open).toBe(0));
  });

  it("settles at its deadline even when the callee ignores the signal", async () => {
    const { error } = await failure(() =>
      withDeadline("a deaf call", 50, undefined, () => new Promise(() => {})),
    );
    expect(error).toBeInstanceOf(DeadlineExceededError);
  });

  it("returns the call's answer and leaves nothing subscribed to the caller's signal", async () => {
    const stop = new AbortController();
    const add = vi.spyOn(stop.signal, "addEventListener");
    const remove = vi.spyOn(stop.signal, "removeEventListener");
    expect(await withDeadline("a quick call", 1_000, stop.signal, async () => 42)).toBe(42);
    expect(remove.mock.calls.length).toBe(add.mock.calls.length);
  });
});

describe("clientSettings", () => {
  it("names the deadline that is not a positive integer", () => {
    expect(() => clientSettings({ ...SHORT, idleMs: 0 })).toThrow(
      "call deadline idleMs must be a positive integer, got 0",
    );
    expect(() => clientSettings({ ...SHORT, maxAttempts: 1.5 })).toThrow(
      "call deadline maxAttempts must be a positive integer, got 1.5",
    );
  });
});
