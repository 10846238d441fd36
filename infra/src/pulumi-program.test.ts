import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { synthesize } from "../tooling/synth/synthesize.js";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const scratch: string[] = [];
afterAll(() => {
  for (const root of scratch) rmSync(root, { recursive: true, force: true });
});

/**
 * The project as a deployer has it: Pulumi.yaml, infra/ with its build and dependencies, scripts/,
 * and the apps' Dockerfiles with the .dockerignore files that the images' build tags are taken from.
 */
function deployerCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), "icon-fanout-program-"));
  scratch.push(root);
  const dockerfiles = ["resizer", "metric-publisher"].flatMap((app) => [
    `apps/${app}/Dockerfile`,
    `apps/${app}/Dockerfile.dockerignore`,
  ]);
  for (const file of ["Pulumi.yaml", "tsconfig.base.json", "scripts/build-digest.mjs", ...dockerfiles]) {
    cpSync(join(repoRoot, file), join(root, file), { recursive: true });
  }
  cpSync(join(repoRoot, "infra"), join(root, "infra"), {
    recursive: true,
    filter: (source) => !/node_modules|\.test-results/.test(source),
  });
  symlinkSync(join(repoRoot, "infra", "node_modules"), join(root, "infra", "node_modules"));
  return root;
}

describe("the program Pulumi runs (Pulumi.yaml main, then infra/package.json main)", {
  timeout: 60_000,
}, () => {
  let root: string;
  beforeEach(() => {
    root = deployerCheckout();
  });

  it("runs the compiled program when it was built from the sources on disk", async () => {
    const { document } = await synthesize(root, "dev");
    expect(document.resources.filter((resource) => resource.type === "aws:s3/bucket:Bucket")).toHaveLength(1);
  });

  it.each([
    ["the program", "src/index.ts"],
    ["the synth it runs under", "tooling/synth/mock-engine.ts"],
  ])("refuses a build older than %s, naming the command to run", async (_what, file) => {
    appendFileSync(join(root, "infra", file), "\n// edited after the build\n");
    await expect(synthesize(root, "dev")).rejects.toThrow(
      /infra\/dist was built from other sources than those in infra\/\n.*Run `pnpm build` at the repository root/s,
    );
  });

  it("refuses a missing build, naming the command to run", async () => {
    rmSync(join(root, "infra", "dist"), { recursive: true });
    await expect(synthesize(root, "dev")).rejects.toThrow(
      /infra\/dist was never built\n.*Run `pnpm build` at the repository root/s,
    );
  });
});
