import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalUsageError, parseLocalArgs } from "./local-args.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const entry = fileURLToPath(new URL("../dist/main.js", import.meta.url));
let caller: string;
beforeAll(() => {
  caller = mkdtempSync(join(tmpdir(), "local-args-"));
  mkdirSync(join(caller, "mine"));
});
afterAll(() => rmSync(caller, { recursive: true, force: true }));

const refusal = (argv: string[]) => {
  try {
    parseLocalArgs(argv, caller, repoRoot);
  } catch (error) {
    if (error instanceof LocalUsageError) return error.message;
    throw error;
  }
  return undefined;
};

describe("pnpm local's arguments", () => {
  it("takes icon paths from the caller's directory, as given", () => {
    expect(parseLocalArgs(["mine", "--stack", "prod", "--workers", "2"], caller, repoRoot)).toEqual({
      help: false,
      stack: "prod",
      workers: 2,
      statusSeconds: 15,
      autoscalePeriodSeconds: undefined,
      upload: true,
      icons: ["mine"],
    });
  });

  it("reads --autoscale's period as real seconds per policy minute, real time by default", () => {
    expect(parseLocalArgs(["--autoscale"], caller, repoRoot).autoscalePeriodSeconds).toBe(60);
    expect(
      parseLocalArgs(["--autoscale", "--autoscale-period", "6s"], caller, repoRoot).autoscalePeriodSeconds,
    ).toBe(6);
    expect(
      parseLocalArgs(["--autoscale", "--autoscale-period", "12"], caller, repoRoot).autoscalePeriodSeconds,
    ).toBe(12);
  });

  it("names each wrong argument", () => {
    expect(refusal(["/no/such/path", "mine", "gone.png"])).toBe(
      "no such file or directory: /no/such/path, gone.png",
    );
    expect(refusal(["--stack", "qa"])).toBe("--stack qa: no infra/Pulumi.qa.yaml (stacks: dev, prod)");
    expect(refusal(["--workers", "0"])).toBe("--workers 0: must be a positive integer");
    expect(refusal(["--status-seconds", "1.5"])).toBe("--status-seconds 1.5: must be a positive integer");
    expect(refusal(["--no-upload", "mine"])).toBe(
      "--no-upload uploads nothing: leave out the icon paths, or --no-upload",
    );
    expect(refusal(["--autoscale-period", "6s"])).toBe("--autoscale-period needs --autoscale");
    expect(refusal(["--autoscale", "--autoscale-period", "5s"])).toMatch(
      /^--autoscale-period 5s: must be whole seconds from 6 to 60, a multiple of 6/,
    );
    expect(refusal(["--autoscale", "--workers", "2"])).toBe(
      "--autoscale and --workers: the policy sets the worker count; leave out one of them",
    );
    expect(refusal(["--colour"])).toMatch(/^Unknown option '--colour'/);
  });

  // Before anything starts: were the stack started first, this run would last until the SIGINT
  // the timeout sends, print what it started and exit 0.
  it("refuses a missing icon path before rendering or starting anything", { timeout: 60_000 }, () => {
    const result = spawnSync(process.execPath, [entry, "/no/such/path"], {
      cwd: caller,
      encoding: "utf8",
      timeout: 30_000,
      killSignal: "SIGINT",
    });
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^local: no such file or directory: \/no\/such\/path\n\nusage: pnpm local/);
    expect(result.status).toBe(2);
  });
});
