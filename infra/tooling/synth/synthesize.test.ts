import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { summarize } from "./summary.js";
import { stableJson, synthesize } from "./synthesize.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const entry = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

/** A scratch project: the real Pulumi.yaml and stack files, so a test can break one safely. */
function scratchProject(): string {
  const root = mkdtempSync(join(tmpdir(), "icon-fanout-synth-"));
  cpSync(join(repoRoot, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  cpSync(join(repoRoot, "infra"), join(root, "infra"), {
    recursive: true,
    filter: (source) => !/node_modules|dist|\.test-results/.test(source),
  });
  scratch.push(root);
  return root;
}
const scratch: string[] = [];
afterAll(() => {
  for (const root of scratch) rmSync(root, { recursive: true, force: true });
});

/** One synth of each real stack, shared by the tests that only read it. */
const synths: Record<string, ReturnType<typeof synthesize>> = {};
const synthOf = (stack: string) => (synths[stack] ??= synthesize(repoRoot, stack, { entry }));

// Each synth runs the whole program; on a busy machine that alone can take seconds.
describe("synthesize", { timeout: 30_000 }, () => {
  it("renders prod the same bytes twice, with the documented shape", async () => {
    const first = await synthOf("prod");
    const second = await synthesize(repoRoot, "prod", { entry });
    expect(stableJson(first.document)).toBe(stableJson(second.document));
    expect(first.document.project).toBe("icon-fanout");
    expect(first.document.stack).toBe("prod");
    const stackResource = first.document.resources.find((r) => r.type === "pulumi:pulumi:Stack");
    expect(stackResource).toMatchObject({ name: "icon-fanout-prod", parent: null });
    for (const resource of first.document.resources) {
      expect(Object.keys(resource).sort()).toEqual([
        "dependencies",
        "ignoreChanges",
        "inputs",
        "name",
        "parent",
        "type",
        "urn",
      ]);
      expect(resource.urn).toMatch(/^urn:pulumi:prod::icon-fanout::/);
    }
    expect(first.document.outputs).toMatchObject({
      topicArn: "arn:aws:sns:eu-west-1:222222222222:icon-fanout-prod-uploads",
    });
  });

  it("renders each image under its build tag, a lifecycle that keeps builds, and task definitions by digest", async () => {
    const { document } = await synthOf("dev");
    const ofType = (type: string) => document.resources.filter((resource) => resource.type === type);
    const images = ofType("awsx:ecr:Image");
    expect(images.map((image) => image.inputs.imageTag)).toEqual([
      expect.stringMatching(/^build-[0-9a-f]{24}$/),
      expect.stringMatching(/^build-[0-9a-f]{24}$/),
    ]);
    for (const policy of ofType("aws:ecr/lifecyclePolicy:LifecyclePolicy"))
      expect((policy.inputs.policy as { rules: unknown[] }).rules).toEqual([
        expect.objectContaining({
          selection: {
            tagStatus: "tagged",
            tagPrefixList: ["build-"],
            countType: "imageCountMoreThan",
            countNumber: 10,
          },
        }),
      ]);
    const taskDefinitions = ofType("aws:ecs/taskDefinition:TaskDefinition");
    expect(taskDefinitions).toHaveLength(4);
    for (const task of taskDefinitions) {
      const [container] = JSON.parse(String(task.inputs.containerDefinitions)) as { image: string }[];
      expect(container?.image, task.name).toMatch(
        /^111111111111\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/[^@:]+@sha256:[0-9a-f]{64}$/,
      );
    }
  });

  it("summarizes prod's and dev's cross-account access in words", async () => {
    const prod = await synthOf("prod");
    const prodSummary = summarize(prod.document, prod.config.accountId);
    expect(prodSummary).toContain(
      "\n  account 111111111111 may sns:Subscribe on icon-fanout-prod-uploads when sns:Protocol = sqs and sns:Endpoint like arn:aws:sqs:eu-west-1:111111111111:*\n",
    );
    // Dev's resizers, not the whole dev account, read prod's sources.
    expect(prodSummary).toContain(
      "\n  roles arn:aws:iam::111111111111:role/icon-fanout/resizer/* of account 111111111111 may s3:GetObject on icon-fanout-prod-222222222222/icons/*\n",
    );
    // The alarm topic's e-mail subscription is neither a queue nor another account's.
    expect(prodSummary).not.toContain("icon-oncall@example.com");
    expect(prodSummary).toMatch(/Resources by type \(\d+\)\n/);
    expect(prodSummary).toMatch(/\n {2}aws\.s3\.AccessPoint +1\n/);

    const dev = await synthOf("dev");
    expect(summarize(dev.document, dev.config.accountId)).toContain(
      "queue icon-fanout-dev-size16 takes messages from icon-fanout-prod-uploads (account 222222222222) and icon-fanout-dev-uploads (this account)",
    );
  });

  it("summarizes who may assume each role, what ECS tasks wait for, and how each size scales", async () => {
    const dev = await synthOf("dev");
    const devSummary = summarize(dev.document, dev.config.accountId);
    expect(devSummary).toContain("\n  icon-fanout-dev-designers: arn:aws:iam::111111111111:root\n");
    expect(devSummary).toContain("\n  icon-fanout-dev-resizer16-execution: ecs-tasks.amazonaws.com\n");
    // The path prod's bucket policy admits dev's resizers by.
    expect(devSummary).toContain(
      "\n  /icon-fanout/resizer/icon-fanout-dev-resizer16-task: ecs-tasks.amazonaws.com when aws:SourceAccount = 111111111111 and aws:SourceArn like arn:aws:ecs:eu-west-1:111111111111:*\n",
    );
    expect(devSummary).toContain(
      "\n  icon-fanout-dev-resizer16: task definition and service after icon-fanout-dev-resizer16-execution, icon-fanout-dev-resizer16-task\n",
    );
    expect(devSummary).toContain(
      "\n    start-first-task: ChangeInCapacity +1 when IF(visible > 0 AND desired == 0, 1, 0) (1 × 10 s)\n",
    );
    const prod = await synthOf("prod");
    // The resizers publish to their own stack's results topic only; S3 of this bucket to the uploads topic.
    expect(summarize(prod.document, prod.config.accountId)).toContain(
      "\n  icon-fanout-prod-results: role policies icon-fanout-prod-resizer16-task, icon-fanout-prod-resizer32-task, icon-fanout-prod-resizer64-task\n",
    );
    expect(summarize(prod.document, prod.config.accountId)).toContain(
      "\n  icon-fanout-prod-uploads: s3.amazonaws.com when aws:SourceAccount = 222222222222 and aws:SourceArn = arn:aws:s3:::icon-fanout-prod-222222222222\n",
    );
    expect(summarize(prod.document, prod.config.accountId)).toContain(
      "\n  icon-fanout-prod-designers: arn:aws:iam::222222222222:root when aws:PrincipalArn like arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_IconDesigners_* | arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_IconDesigners_*\n",
    );
  });

  it("warns that dev's alarms reach nobody, and has nothing to warn about prod", async () => {
    expect((await synthOf("dev")).warnings).toEqual([
      "icon-fanout:alarms: set icon-fanout:alarms.email or icon-fanout:alarms.topicArn (neither is set, so the alarms reach nobody)",
    ]);
    expect((await synthOf("prod")).warnings).toEqual([]);
  });

  it("names the missing stack file and the stacks that exist", async () => {
    await expect(synthesize(repoRoot, "staging", { entry })).rejects.toThrow(
      "no stack file infra/Pulumi.staging.yaml (stacks with a file: dev, prod)",
    );
  });

  it("refuses a stack name that is not one", async () => {
    await expect(synthesize(repoRoot, "../etc/passwd", { entry })).rejects.toThrow(/is not a stack name/);
  });

  it("points at the line of malformed YAML", async () => {
    const root = scratchProject();
    writeFileSync(join(root, "infra", "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n   bad: [\n");
    await expect(synthesize(root, "dev", { entry })).rejects.toThrow(
      /^infra\/Pulumi\.dev\.yaml: .* at line 2, column 15/s,
    );
  });

  it("refuses a stack file without a config mapping", async () => {
    const root = scratchProject();
    writeFileSync(join(root, "infra", "Pulumi.dev.yaml"), "encryptionsalt: abc\n");
    await expect(synthesize(root, "dev", { entry })).rejects.toThrow(
      'infra/Pulumi.dev.yaml: expected a "config:" mapping of namespaced keys',
    );
  });

  it("lists every configuration problem with the file it is in", async () => {
    const root = scratchProject();
    writeFileSync(
      join(root, "infra", "Pulumi.dev.yaml"),
      [
        "config:",
        "  aws:region: eu-west-1",
        '  aws:allowedAccountIds: ["111111111111"]',
        '  icon-fanout:accountId: "111111111111"',
        "  icon-fanout:iconSizes: [16, 16]",
        "  icon-fanout:designers:",
        "    principalArns: [arn:aws:iam::111111111111:role/d]",
        "  icon-fanout:crossAccount:",
        '    allowSubscribers: ["111111111111"]',
        "",
      ].join("\n"),
    );
    await expect(synthesize(root, "dev", { entry })).rejects.toThrow(
      [
        "infra/Pulumi.dev.yaml: invalid stack configuration:",
        "  - icon-fanout:iconSizes[1]: 16 is listed more than once",
        "  - icon-fanout:crossAccount.allowSubscribers[0]: 111111111111 is this stack's own account; list only other accounts",
      ].join("\n"),
    );
  });

  it("answers a shadow stack reference from the referenced stack's synth, and says when it is missing", async () => {
    const root = scratchProject();
    const devFile = join(root, "infra", "Pulumi.dev.yaml");
    const original = readFileSync(devFile, "utf8");
    writeFileSync(
      devFile,
      original.replace(
        /shadowFrom:\n(?: {6}.*\n)+/,
        "shadowFrom:\n      stackReference: acme/icon-fanout/prod\n",
      ),
    );
    await expect(synthesize(root, "dev", { entry })).rejects.toThrow(
      "crossAccount.shadowFrom.stackReference acme/icon-fanout/prod is answered from synth/prod.json; run `pnpm synth prod` first",
    );
    const prod = await synthesize(root, "prod", { entry });
    mkdirSync(join(root, "synth"));
    writeFileSync(join(root, "synth", "prod.json"), stableJson(prod.document));
    const dev = await synthesize(root, "dev", { entry });
    expect(summarize(dev.document, dev.config.accountId)).toContain(
      "queue icon-fanout-dev-size16 takes messages from icon-fanout-prod-uploads (account 222222222222)",
    );
  });
});
