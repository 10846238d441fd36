import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { checkAccount } from "./aws.js";
import { loadStackOutputs, queueArnOf } from "./outputs.js";
import { runIconctl } from "./program.js";
import { OUTPUTS } from "./test-fixtures.js";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

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
});

describe("credentials", () => {
  const client = () =>
    new STSClient({ region: "eu-west-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });

  it("accept the stack's own account", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "222222222222" });
    await expect(checkAccount(client(), "prod", "222222222222")).resolves.toBeUndefined();
  });

  it("refuse another account, naming both", async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: "111111111111" });
    await expect(checkAccount(client(), "prod", "222222222222")).rejects.toThrow(
      "wrong account for stack prod: the credentials are for 111111111111, the stack lives in 222222222222",
    );
  });

  it("say how to get credentials when there are none", async () => {
    sts.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error("Could not load credentials from any providers"), {
        name: "CredentialsProviderError",
      }),
    );
    await expect(checkAccount(client(), "prod", "222222222222")).rejects.toThrow(
      /no AWS credentials found: set AWS_PROFILE/,
    );
  });
});

describe("the command line", () => {
  it("derives queue ARNs from queue URLs", () => {
    expect(queueArnOf("https://sqs.eu-west-1.amazonaws.com/222222222222/q")).toBe(
      "arn:aws:sqs:eu-west-1:222222222222:q",
    );
  });

  it("exits 2 on a usage error and 3 when the outputs file is missing", async () => {
    expect(await runIconctl(["status"])).toBe(2);
    expect(await runIconctl(["dlq", "list", "--stack", "prod", "--size", "zero"])).toBe(2);
    expect(await runIconctl(["status", "--stack", "prod", "--outputs", "/nonexistent/outputs.json"])).toBe(3);
  });
});
