import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadLocalStack } from "./local-stack.js";
import { queueArnOf } from "./outputs.js";
import { OUTPUTS } from "./test-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "iconctl-local-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("iconctl --local", () => {
  it("names the emulator's queues by the stack's region, since their URLs carry none", () => {
    expect(queueArnOf("http://127.0.0.1:4566/000000000000/icon-fanout-dev-size16-dlq", "eu-west-1")).toBe(
      "arn:aws:sqs:eu-west-1:000000000000:icon-fanout-dev-size16-dlq",
    );
    expect(() => queueArnOf("http://127.0.0.1:4566/000000000000/q")).toThrow(
      "cannot tell the region of queue",
    );
  });

  it("says how to start a local stack when none runs, and refuses one of another stack", async () => {
    await expect(loadLocalStack(join(dir, "missing.json"), "dev")).rejects.toThrow(
      "no local stack running for dev",
    );
    const file = join(dir, "stack.json");
    writeFileSync(
      file,
      JSON.stringify({
        stack: "prod",
        endpoint: "http://127.0.0.1:4566",
        region: "eu-west-1",
        outputs: OUTPUTS,
        services: {},
        notEmulated: [],
      }),
    );
    await expect(loadLocalStack(file, "dev")).rejects.toThrow(`${file} runs stack prod, not dev`);
    expect((await loadLocalStack(file, "prod")).endpoint).toBe("http://127.0.0.1:4566");
  });

  it("refuses a stack file whose emulator is not on this machine", async () => {
    const file = join(dir, "remote.json");
    writeFileSync(
      file,
      JSON.stringify({
        stack: "dev",
        endpoint: "http://10.0.0.9:4566",
        region: "eu-west-1",
        outputs: OUTPUTS,
        services: {},
        notEmulated: [],
      }),
    );
    await expect(loadLocalStack(file, "dev")).rejects.toThrow("http is allowed only for a loopback host");
  });
});
