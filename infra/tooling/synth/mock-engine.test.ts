import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MockEngine } from "./mock-engine.js";

const start = () =>
  MockEngine.start({ project: "icon-fanout", stack: "dev", accountId: "111111111111", region: "eu-west-1" });

const resolved = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("the mock engine", () => {
  it("fails the run on a provider function it has no answer for, naming it", async () => {
    const engine = await start();
    aws.getCallerIdentityOutput().apply((identity) => identity.accountId);
    await expect(engine.settle()).rejects.toThrow(
      "mock engine: no answer for invoke aws:index/getCallerIdentity:getCallerIdentity",
    );
  });

  it("builds an awsx repository as the awsx provider does: the repository and its lifecycle policy beneath it", async () => {
    const engine = await start();
    const repository = new awsx.ecr.Repository("App-Image", {
      imageScanningConfiguration: { scanOnPush: true },
      lifecyclePolicy: { rules: [{ tagStatus: "any", maximumNumberOfImages: 4 }] },
    });
    const [url, arn] = await Promise.all([resolved(repository.url), resolved(repository.repository.arn)]);
    const resources = await engine.settle();

    const component = resources.find((resource) => resource.type === "awsx:ecr:Repository");
    const children = resources.filter((resource) => resource.parent === component?.urn);
    expect(children.map(({ type, name }) => [type, name])).toEqual([
      ["aws:ecr/lifecyclePolicy:LifecyclePolicy", "app-image"],
      ["aws:ecr/repository:Repository", "app-image"],
    ]);
    const [policy, ecrRepository] = children;
    expect(ecrRepository?.inputs).toEqual({ imageScanningConfiguration: { scanOnPush: true } });
    const physicalName = String(policy?.inputs.repository);
    expect(physicalName).toMatch(/^app-image-[0-9a-f]{7}$/);
    expect(policy?.dependencies).toEqual([ecrRepository?.urn]);
    expect(url).toBe(`111111111111.dkr.ecr.eu-west-1.amazonaws.com/${physicalName}`);
    expect(arn).toBe(`arn:aws:ecr:eu-west-1:111111111111:repository/${physicalName}`);
  });

  it("leaves out the lifecycle policy an awsx repository skips", async () => {
    const engine = await start();
    new awsx.ecr.Repository("bare", { lifecyclePolicy: { skip: true } });
    const types = (await engine.settle()).map((resource) => resource.type);
    expect(types).toContain("aws:ecr/repository:Repository");
    expect(types).not.toContain("aws:ecr/lifecyclePolicy:LifecyclePolicy");
  });

  it("fails the run on a provider component it cannot build, naming it", async () => {
    const engine = await start();
    new awsx.ec2.Vpc("network", {});
    await expect(engine.settle()).rejects.toThrow(
      "mock engine: no way to build the provider component awsx:ec2:Vpc",
    );
  });
});
