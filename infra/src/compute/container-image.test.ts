import { describe, expect, it } from "vitest";
import { type ProgramRun, runProgram, stackConfig } from "../../tooling/testing/program-runs.js";
import { containerOf, ofType, only, policyOf, stackRun } from "../../tooling/testing/stack-runs.js";
import { buildTag } from "./build-context.js";
import { REPOSITORY_ROOT, retainPushedBuilds } from "./container-image.js";

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

  it("tags each build with the digest of its build context, and task definitions name it by digest", () => {
    const tags = new Set<string>();
    for (const app of APPS) {
      const image = only(prod.resources, "awsx:ecr:Image", `${app}-image`);
      expect(image.inputs.imageTag, app).toBe(
        buildTag(REPOSITORY_ROOT, `${REPOSITORY_ROOT}apps/${app}/Dockerfile`, "linux/arm64"),
      );
      tags.add(String(image.inputs.imageTag));
    }
    expect(tags.size).toBe(APPS.length);
    const repositoryUrl = String(
      only(prod.resources, "awsx:ecr:Image", "resizer-image").inputs.repositoryUrl,
    );
    const images = [16, 32, 64].map(
      (size) =>
        containerOf(only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", `resizer${size}`)).image,
    );
    for (const image of images) expect(image).toMatch(new RegExp(`^${repositoryUrl}@sha256:[0-9a-f]{64}$`));
    expect(new Set(images).size).toBe(1);
  });

  it("pushes each app to its own repository, which scans on push and expires builds but the last 10", () => {
    const repositories = ofType(prod.resources, "awsx:ecr:Repository");
    expect(repositories.map((repository) => repository.name)).toEqual(
      APPS.map((app) => `icon-fanout-prod-${app}-image`),
    );
    for (const repository of repositories) {
      expect(repository.inputs, repository.name).toMatchObject({
        imageScanningConfiguration: { scanOnPush: true },
        forceDelete: false,
        lifecyclePolicy: {
          rules: [{ tagStatus: "tagged", tagPrefixList: ["build-"], maximumNumberOfImages: 10 }],
        },
      });
      expect(String(only(prod.resources, "awsx:ecr:Image", repository.name).inputs.repositoryUrl)).toBe(
        `222222222222.dkr.ecr.eu-west-1.amazonaws.com/${repositoryName(prod, repository.name)}`,
      );
    }
  });

  it("keeps as many builds as images.keepLast says, and expires no untagged image", async () => {
    const run = await runProgram(stackConfig("prod", { "icon-fanout:images": { keepLast: 3 } }), "prod");
    const policies = ofType(run.resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
    expect(policies.map((policy) => policy.name)).toEqual(APPS.map((app) => `icon-fanout-prod-${app}-image`));
    for (const policy of policies) {
      expect(policy.inputs.policy, policy.name).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: "keep the last 3 builds",
            selection: {
              tagStatus: "tagged",
              tagPrefixList: ["build-"],
              countType: "imageCountMoreThan",
              countNumber: 3,
            },
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

  it("follows the configured architecture, as another build with its own tag and digest", async () => {
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
    // A new build is a new tag and digest, so the task definition changes and the old one keeps its own.
    const armImage = only(prod.resources, "awsx:ecr:Image", "resizer-image").inputs.imageTag;
    expect(only(run.resources, "awsx:ecr:Image", "resizer-image").inputs.imageTag).not.toBe(armImage);
    const armTask = only(prod.resources, "aws:ecs/taskDefinition:TaskDefinition", "resizer16");
    expect(containerOf(task).image).not.toBe(containerOf(armTask).image);
  });

  it("refuses to keep fewer than two builds, naming the image", async () => {
    const config = { ...stackConfig("prod"), images: { keepLast: 1 } };
    await expect(runProgram(config, "prod")).rejects.toThrow(
      "icon-fanout-prod-resizer-image: keepLast must be an integer of at least 2, the running build and the one a rollback returns to (got 1)",
    );
  });

  // awsx replaces its docker-build image resource with every new tag; deleting it would delete
  // the previous build from ECR, the one a rollback returns to.
  it("keeps a replaced build in ECR: awsx's docker-build image is retained on delete, nothing else", async () => {
    const image = {
      type: "docker-build:index:Image",
      name: "build-0123",
      custom: true,
      props: { push: true },
      opts: {},
    };
    expect(await retainPushedBuilds(image)).toEqual({
      props: { push: true },
      opts: { retainOnDelete: true },
    });
    for (const type of [
      "awsx:ecr:Image",
      "aws:ecr/repository:Repository",
      "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    ])
      expect(await retainPushedBuilds({ ...image, type }), type).toBeUndefined();
  });
});
