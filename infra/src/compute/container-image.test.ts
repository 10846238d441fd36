import { describe, expect, it } from "vitest";
import { type ProgramRun, runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { ofType, only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";

const prod = stackRun("prod");

const APPS = ["metric-publisher", "resizer"];

/** The physical name of an image's repository, as its lifecycle policy names it. */
const repositoryName = (run: ProgramRun, image: string) =>
  String(only(run.resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy", image).inputs.repository);

describe("app images", () => {
  it("builds each app from its Dockerfile at the repository root, for Graviton", () => {
    const images = ofType(prod.resources, "awsx:ecr:Image");
    expect(
      images.map((image) => [
        image.name,
        String(image.inputs.dockerfile).split("/").slice(-3).join("/"),
        image.inputs.platform,
      ]),
    ).toEqual(APPS.map((app) => [`icon-fanout-prod-${app}-image`, `apps/${app}/Dockerfile`, "linux/arm64"]));
  });

  it("pushes each app to its own repository, which scans on push and expires all but the last 10 images", () => {
    const repositories = ofType(prod.resources, "awsx:ecr:Repository");
    expect(repositories.map((repository) => repository.name)).toEqual(
      APPS.map((app) => `icon-fanout-prod-${app}-image`),
    );
    for (const repository of repositories) {
      expect(repository.inputs, repository.name).toMatchObject({
        imageScanningConfiguration: { scanOnPush: true },
        forceDelete: false,
        lifecyclePolicy: { rules: [{ tagStatus: "any", maximumNumberOfImages: 10 }] },
      });
      expect(String(only(prod.resources, "awsx:ecr:Image", repository.name).inputs.repositoryUrl)).toBe(
        `222222222222.dkr.ecr.eu-west-1.amazonaws.com/${repositoryName(prod, repository.name)}`,
      );
    }
  });

  it("keeps as many images as images.keepLast says", async () => {
    const run = await runProgram(stackConfig("prod", { "icon-fanout:images": { keepLast: 3 } }), "prod");
    const policies = ofType(run.resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
    expect(policies.map((policy) => policy.name)).toEqual(APPS.map((app) => `icon-fanout-prod-${app}-image`));
    for (const policy of policies) {
      expect(policy.inputs.policy, policy.name).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: "keep the last 3 images",
            selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 3 },
            action: { type: "expire" },
          },
        ],
      });
    }
  });

  it.each([
    ["resizer16", "resizer"],
    ["metric-publisher", "metric-publisher"],
  ])("lets the %s execution role pull from the %s repository only", (service, app) => {
    const statements = policyOf(
      only(prod.resources, "aws:iam/rolePolicy:RolePolicy", `${service}-execution`),
    ).Statement;
    expect(statements.find((statement) => statement.Sid === "PullOwnImage")?.Resource).toBe(
      `arn:aws:ecr:eu-west-1:222222222222:repository/${repositoryName(prod, `icon-fanout-prod-${app}-image`)}`,
    );
  });

  it("follows the configured architecture", async () => {
    const run = await runProgram(
      stackConfig("prod", { "icon-fanout:resizer": { architecture: "X86_64" } }),
      "prod",
    );
    expect(new Set(ofType(run.resources, "awsx:ecr:Image").map((image) => image.inputs.platform))).toEqual(
      new Set(["linux/amd64"]),
    );
    const task = only(run.resources, "aws:ecs/taskDefinition:TaskDefinition", "resizer16");
    expect(task.inputs.runtimePlatform).toEqual({
      cpuArchitecture: "X86_64",
      operatingSystemFamily: "LINUX",
    });
  });
});
