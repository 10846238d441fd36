import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkHeartbeat, Heartbeat, type HeartbeatEndpoint, serveHeartbeat } from "./heartbeat.js";

const PATH = "/heartbeat";
let endpoint: HeartbeatEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** A heartbeat on a clock the test moves. */
function manualHeartbeat() {
  let now = 0;
  const heartbeat = new Heartbeat(() => now);
  return { heartbeat, advance: (seconds: number) => (now += seconds * 1000) };
}

const check = (port: number, staleAfterSeconds = 60) =>
  checkHeartbeat({ port, path: PATH, staleAfterSeconds, timeoutMs: 1_000 });

describe("the heartbeat endpoint and its check", () => {
  it("is healthy while the loop beats, unhealthy once the last beat is older than the limit", async () => {
    const { heartbeat, advance } = manualHeartbeat();
    endpoint = await serveHeartbeat(heartbeat, { port: 0, path: PATH });
    advance(59);
    expect(await check(endpoint.port)).toEqual({
      healthy: true,
      detail: "heartbeat 59.0 s old (limit 60 s)",
    });
    advance(2);
    expect(await check(endpoint.port)).toEqual({
      healthy: false,
      detail: "heartbeat 61.0 s old (limit 60 s)",
    });
    heartbeat.beat();
    expect(await check(endpoint.port)).toMatchObject({ healthy: true });
  });

  it("serves its path only, on 127.0.0.1", async () => {
    endpoint = await serveHeartbeat(new Heartbeat(), { port: 0, path: PATH });
    const other = await checkHeartbeat({
      port: endpoint.port,
      path: "/",
      staleAfterSeconds: 60,
      timeoutMs: 1_000,
    });
    expect(other).toEqual({ healthy: false, detail: "heartbeat endpoint answered 404: " });
    const response = await fetch(`http://127.0.0.1:${endpoint.port}${PATH}`);
    expect(await response.json()).toEqual({ ageSeconds: expect.any(Number) });
  });

  it("fails the check when nothing listens, and when the app does not answer in time", async () => {
    const closed = await serveHeartbeat(new Heartbeat(), { port: 0, path: PATH });
    await closed.close();
    expect(await check(closed.port)).toMatchObject({
      healthy: false,
      detail: expect.stringContaining("heartbeat endpoint unreachable: connect ECONNREFUSED"),
    });

    // An app whose event loop is stuck accepts the connection and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    expect(await check(port)).toEqual({
      healthy: false,
      detail: "heartbeat endpoint unreachable: no answer within 1000 ms",
    });
    silent.close();
  });

  it("rejects a port another process holds, so the app can say so", async () => {
    endpoint = await serveHeartbeat(new Heartbeat(), { port: 0, path: PATH });
    await expect(serveHeartbeat(new Heartbeat(), { port: endpoint.port, path: PATH })).rejects.toThrow(
      "EADDRINUSE",
    );
  });
});
