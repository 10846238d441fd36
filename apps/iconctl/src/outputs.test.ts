import { describe, expect, it } from "vitest";
import { loadStackOutputs, queueArnOf } from "./outputs.js";
import { OUTPUTS } from "./test-fixtures.js";

describe("stack outputs", () => {
  it("come from `pulumi stack output --json --stack <name>`", async () => {
    const calls: string[][] = [];
    const outputs = await loadStackOutputs({
      stack: "prod",
      pulumi: async (args) => {
        calls.push(args);
        return JSON.stringify(OUTPUTS);
      },
    });
    expect(calls).toEqual([["stack", "output", "--json", "--stack", "prod"]]);
    expect(outputs.accessPointArn).toBe(OUTPUTS.accessPointArn);
  });

  it.each([
    [async () => "{}", "stack prod has no outputs; deploy it first (pulumi up --stack prod)"],
    [async () => "not json", "pulumi stack output --stack prod did not print JSON"],
    [
      async () => JSON.stringify({ bucketName: "x" }),
      /not the outputs of an icon-fanout stack \(accessPointArn: /,
    ],
    [
      async () => {
        throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
      },
      "the Pulumi CLI is not installed; pass --outputs <file> with the output of 'pulumi stack output --json --stack prod'",
    ],
    [
      async () => {
        throw Object.assign(new Error("exit 255"), { stderr: "error: no stack named 'prod' found\n" });
      },
      "pulumi stack output --stack prod failed: error: no stack named 'prod' found",
    ],
  ])("explain what is wrong (%#)", async (pulumi, message) => {
    await expect(loadStackOutputs({ stack: "prod", pulumi })).rejects.toThrow(message);
  });

  it("derives queue ARNs from queue URLs", () => {
    expect(queueArnOf("https://sqs.eu-west-1.amazonaws.com/222222222222/q")).toBe(
      "arn:aws:sqs:eu-west-1:222222222222:q",
    );
  });
});
