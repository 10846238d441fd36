import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { MockEngine } from "./mock-engine.js";

const account = { accountId: "111111111111", region: "eu-west-1" };

describe("the mock engine", () => {
  it("fails the run on a provider function it has no answer for, naming it", async () => {
    const engine = await MockEngine.start({ project: "icon-fanout", stack: "dev", ...account });
    aws.getCallerIdentityOutput().apply((identity) => identity.accountId);
    await expect(engine.settle()).rejects.toThrow(
      "mock engine: no answer for invoke aws:index/getCallerIdentity:getCallerIdentity",
    );
  });
});
