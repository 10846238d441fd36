import { createLogger } from "@icon-fanout/log";
import { describe, expect, it } from "vitest";
import { ScaleInProtection } from "./scale-in-protection.js";
import { sleep } from "./testing/random.js";

function agent(status = 200) {
  const calls: { url: string; body: unknown }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, body: JSON.parse(String(init.body)) });
    return new Response("{}", { status });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe("ScaleInProtection", () => {
  it("switches protection on when work arrives and off after the idle grace", async () => {
    const { calls, fetchImpl } = agent();
    const protection = new ScaleInProtection(
      "http://169.254.170.2/api/task",
      createLogger({ write: () => {} }),
      20,
      fetchImpl,
    );
    protection.update(3);
    protection.update(5);
    protection.update(0);
    await sleep(60);
    await protection.release();
    expect(calls).toEqual([
      {
        url: "http://169.254.170.2/api/task/task-protection/v1/state",
        body: { ProtectionEnabled: true, ExpiresInMinutes: 10 },
      },
      { url: "http://169.254.170.2/api/task/task-protection/v1/state", body: { ProtectionEnabled: false } },
    ]);
  });

  it("stays on when work returns within the grace", async () => {
    const { calls, fetchImpl } = agent();
    const protection = new ScaleInProtection(
      "http://agent",
      createLogger({ write: () => {} }),
      500,
      fetchImpl,
    );
    protection.update(1);
    protection.update(0);
    await sleep(10);
    protection.update(1);
    await sleep(600);
    expect(calls.map((call) => (call.body as { ProtectionEnabled: boolean }).ProtectionEnabled)).toEqual([
      true,
    ]);
    await protection.release();
  });

  it("does nothing off ECS", async () => {
    const { calls, fetchImpl } = agent();
    const protection = new ScaleInProtection(undefined, createLogger({ write: () => {} }), 1, fetchImpl);
    protection.update(1);
    await protection.release();
    expect(protection.available).toBe(false);
    expect(calls).toEqual([]);
  });

  it("logs an agent failure instead of throwing", async () => {
    const { fetchImpl } = agent(500);
    const lines: string[] = [];
    const protection = new ScaleInProtection(
      "http://agent",
      createLogger({ write: (line) => lines.push(line) }),
      1,
      fetchImpl,
    );
    protection.update(1);
    await protection.release();
    expect(lines.join("")).toContain("scale-in protection not updated");
  });
});
