import { createLogger } from "@icon-fanout/log";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ScaleInProtection } from "./scale-in-protection.js";

const IDLE_GRACE_MS = 5_000;

/** Protection talking to a recorded ECS agent that answers `status`, or off ECS (no agent URI). */
function protectionWith({ agentUri = "http://agent", status = 200, offEcs = false } = {}) {
  const calls: { url: string; body: unknown }[] = [];
  const lines: string[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response("{}", { status });
  }) as unknown as typeof fetch;
  const log = createLogger({ write: (line) => lines.push(line) });
  const uri = offEcs ? undefined : agentUri;
  return { calls, lines, protection: new ScaleInProtection(uri, log, IDLE_GRACE_MS, fetchImpl) };
}

const enabled = (calls: { body: unknown }[]) =>
  calls.map((call) => (call.body as { ProtectionEnabled: boolean }).ProtectionEnabled);

describe("ScaleInProtection", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("switches protection on when work arrives and off once idle for the grace", async () => {
    const { calls, protection } = protectionWith({ agentUri: "http://169.254.170.2/api/task" });
    protection.update(3);
    protection.update(5);
    protection.update(0);
    await vi.advanceTimersByTimeAsync(IDLE_GRACE_MS - 1);
    expect(enabled(calls)).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([
      {
        url: "http://169.254.170.2/api/task/task-protection/v1/state",
        body: { ProtectionEnabled: true, ExpiresInMinutes: 10 },
      },
      { url: "http://169.254.170.2/api/task/task-protection/v1/state", body: { ProtectionEnabled: false } },
    ]);
    await protection.release();
    expect(calls).toHaveLength(2);
  });

  it("stays on when work returns within the grace", async () => {
    const { calls, protection } = protectionWith();
    protection.update(1);
    protection.update(0);
    await vi.advanceTimersByTimeAsync(IDLE_GRACE_MS - 1_000);
    protection.update(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(enabled(calls)).toEqual([true]);
    await protection.release();
    expect(enabled(calls)).toEqual([true, false]);
  });

  it("renews protection before it expires while the task stays busy", async () => {
    const { calls, protection } = protectionWith();
    protection.update(1);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    protection.update(2);
    expect(enabled(calls)).toEqual([true]);
    await vi.advanceTimersByTimeAsync(1);
    protection.update(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(enabled(calls)).toEqual([true, true]);
    await protection.release();
  });

  it("does nothing off ECS", async () => {
    const { calls, protection } = protectionWith({ offEcs: true });
    protection.update(1);
    await protection.release();
    expect(protection.available).toBe(false);
    expect(calls).toEqual([]);
  });

  it("logs an agent failure instead of throwing", async () => {
    const { lines, protection } = protectionWith({ status: 500 });
    protection.update(1);
    await protection.release();
    expect(lines.join("")).toContain("scale-in protection not updated");
  });
});
