import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SynthPathError, synthOutput } from "./output-path.js";

const cli = fileURLToPath(new URL("../../dist/synth/cli.js", import.meta.url));
let scratch: string;
let caller: string;
const root = "/repo";
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "synth-path-"));
  caller = join(scratch, "caller");
  mkdirSync(join(caller, "out"), { recursive: true });
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("where pnpm synth writes", () => {
  it("resolves --json from the caller's directory and names it as given", () => {
    expect(synthOutput("dev", "out/dev.json", caller, root)).toEqual({
      path: join(caller, "out", "dev.json"),
      shown: "out/dev.json",
      createFolder: false,
    });
    expect(synthOutput("dev", join(caller, "out", "x.json"), "/", root).shown).toBe(
      join(caller, "out", "x.json"),
    );
  });

  it("refuses --json in a folder that does not exist, or naming a folder", () => {
    expect(() => synthOutput("dev", "missing/dev.json", caller, root)).toThrow(
      new SynthPathError(
        `--json missing/dev.json: folder ${join(caller, "missing")} does not exist; create it first`,
      ),
    );
    expect(() => synthOutput("dev", "out", caller, root)).toThrow(
      "--json out: is a folder; name the file to write",
    );
  });

  it("writes synth/<stack>.json in the repository by default, named relative to the caller's directory only below it", () => {
    expect(synthOutput("prod", undefined, root, root)).toEqual({
      path: "/repo/synth/prod.json",
      shown: "synth/prod.json",
      createFolder: true,
    });
    expect(synthOutput("prod", undefined, "/repo/infra", root).shown).toBe("/repo/synth/prod.json");
  });

  it("the command refuses a missing folder before rendering and creates none", () => {
    const missing = join(scratch, "nonexistent-dir");
    const result = spawnSync(process.execPath, [cli, "dev", "--json", join(missing, "x.json")], {
      cwd: caller,
      encoding: "utf8",
    });
    expect(result.stderr).toBe(
      `synth: --json ${join(missing, "x.json")}: folder ${missing} does not exist; create it first\n`,
    );
    expect(result.status).toBe(2);
    expect(existsSync(missing)).toBe(false);
  });
});
