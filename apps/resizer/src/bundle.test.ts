import { execFileSync, spawnSync } from "node:child_process";
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
  withSilentEndpoint,
  workspaceClosure,
} from "../../../scripts/production-bundle.mjs";

const APP = "resizer";
let scratch: string;
let bundleDir: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), `${APP}-bundle-`));
  bundleDir = buildProductionBundle(APP, join(scratch, "app"));
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const validEnv = sampleEnvironments[APP];

const start = (env: Record<string, string>) => startCheck(bundleDir, { MALLOC_ARENA_MAX: "2", ...env });

describe("the production bundle (what the image ships)", () => {
  it("starts in check mode: environment valid, sharp loaded, a sample resized", () => {
    const result = start(validEnv);
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      level: "info",
      msg: "check passed",
      size: 16,
      sample: [2, 1],
    });
  });

  it("refuses an invalid environment, naming each variable", () => {
    const result = start({ ...validEnv, ICON_SIZE: "huge", QUEUE_URL: "" });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout.trim()).problems).toEqual([
      "QUEUE_URL: is required",
      'ICON_SIZE: must be an integer between 1 and 4096 (got "huge")',
    ]);
  });

  it("ships the local resize command on the same code", () => {
    const result = spawnSync(process.execPath, ["dist/cli/resize.js", "--help"], {
      cwd: bundleDir,
      encoding: "utf8",
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("usage: pnpm resize");
  });

  it("holds production dependencies only, with sharp's native library for this platform", () => {
    const installed = execFileSync(
      "ls",
      [join(bundleDir, "node_modules"), join(bundleDir, "node_modules/.pnpm")],
      { encoding: "utf8" },
    );
    for (const devOnly of ["vitest", "typescript", "aws-sdk-client-mock", "@biomejs"])
      expect(installed).not.toContain(devOnly);
    expect(installed).toContain(`@img+sharp-${process.platform}-${process.arch}@`);
  });

  it("is built from exactly the workspace packages the Dockerfile copies and its .dockerignore admits", () => {
    const needed = workspaceClosure(APP);
    expect(dockerfileCopies(APP)).toEqual(needed);
    expect(dockerignoreIncludes(APP)).toEqual(needed);
  });

  it("is deployed with the same pnpm command line as the Dockerfile's", () => {
    expect(dockerfileDeployArguments(APP)).toEqual(deployArguments(APP, "/out"));
  });

  it("stops on SIGTERM in the middle of a long poll: stops receiving, drains and exits 0 at once", async () => {
    // An SQS endpoint whose long polls never answer: only the worker's own abort can end them.
    const result = await withSilentEndpoint((endpoint) =>
      runUntilSigterm(bundleDir, validEnv, endpoint, '"msg":"started"'),
    );
    expect(result.code, result.output).toBe(0);
    expect(result.stopMs).toBeLessThan(5_000);
    expect(result.output).toMatch(/"msg":"stopping",.*"signal":"SIGTERM"/);
    expect(result.output).toContain('"msg":"stopped"');
  });
});
