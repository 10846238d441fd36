import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildProductionBundle,
  deployArguments,
  dockerfileCopies,
  dockerfileDeployArguments,
  dockerignoreIncludes,
  runUntilSigterm,
  sampleEnvironments,
  startCheck,
  workspaceClosure,
} from "../../../scripts/production-bundle.mjs";

const APP = "metric-publisher";
let scratch: string;
let bundleDir: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), `${APP}-bundle-`));
  bundleDir = buildProductionBundle(APP, join(scratch, "app"));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const validEnv = sampleEnvironments[APP];

const start = (env: Record<string, string>) => startCheck(bundleDir, { ...env });

describe("the production bundle (what the image ships)", () => {
  it("starts in check mode with a valid environment", () => {
    const result = start(validEnv);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      level: "info",
      msg: "check passed",
      sizes: [16],
    });
  });

  it("refuses an invalid environment, naming each variable", () => {
    const result = start({ SCALING_TARGETS: "[]" });
    expect(result.status).toBe(1);
    const line = JSON.parse(result.stdout.trim());
    expect(line.problems).toEqual([
      "CLUSTER_NAME: is required",
      expect.stringMatching(/^SCALING_TARGETS: must be a list/),
    ]);
  });

  it("holds production dependencies only", () => {
    const installed = execFileSync("ls", [join(bundleDir, "node_modules")], { encoding: "utf8" });
    for (const devOnly of ["vitest", "typescript", "aws-sdk-client-mock", "@biomejs"])
      expect(installed).not.toContain(devOnly);
  });

  it("is built from exactly the workspace packages the Dockerfile copies and its .dockerignore admits", () => {
    const needed = workspaceClosure(APP);
    expect(dockerfileCopies(APP)).toEqual(needed);
    expect(dockerignoreIncludes(APP)).toEqual(needed);
  });

  it("is deployed with the same pnpm command line as the Dockerfile's", () => {
    expect(dockerfileDeployArguments(APP)).toEqual(deployArguments(APP, "/out"));
  });

  it("stops on SIGTERM between ticks and exits 0", async () => {
    const result = await runUntilSigterm(bundleDir, validEnv, "http://127.0.0.1:9", '"msg":"started"');
    expect(result.code, result.output).toBe(0);
    expect(result.stopMs).toBeLessThan(5_000);
    expect(result.output).toContain('"msg":"stopped"');
  });
});
