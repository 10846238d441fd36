import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * A workspace with one app whose build is `turbo run build`: a stand-in turbo that records each
 * call and "builds" by recording the app's build digest, as the real build script does.
 */
function workspace(turboExitCode = 0): string {
  const root = mkdtempSync(join(tmpdir(), "run-app-"));
  for (const file of ["scripts/run-app.mjs", "scripts/build-digest.mjs", "tsconfig.base.json"])
    cpSync(join(repoRoot, file), join(root, file));
  const app = join(root, "apps", "hello");
  mkdirSync(join(app, "src"), { recursive: true });
  mkdirSync(join(app, "dist"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "@test/hello", type: "module" }));
  writeFileSync(join(app, "src", "main.ts"), "export {};\n");
  writeFileSync(
    join(app, "dist", "main.js"),
    'import { writeFileSync } from "node:fs";\nwriteFileSync(process.env.RAN_WITH, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }));\n',
  );
  const bin = join(root, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, "turbo"),
    `#!/bin/sh\necho "$*" >> "${root}/turbo-calls"\n[ ${turboExitCode} -eq 0 ] || exit ${turboExitCode}\ncd "${app}" && "${process.execPath}" ../../scripts/build-digest.mjs\n`,
  );
  chmodSync(join(bin, "turbo"), 0o755);
  return root;
}

function runApp(root: string, callerDir: string) {
  const ranWith = join(root, "ran-with.json");
  const result = spawnSync(
    process.execPath,
    [join(root, "scripts/run-app.mjs"), "@test/hello", "apps/hello/dist/main.js", "--size", "16", "icons"],
    { env: { ...process.env, RAN_WITH: ranWith, INIT_CWD: callerDir }, encoding: "utf8" },
  );
  const turboCalls = existsSync(join(root, "turbo-calls"))
    ? readFileSync(join(root, "turbo-calls"), "utf8").trim().split("\n")
    : [];
  const ran = existsSync(ranWith) ? JSON.parse(readFileSync(ranWith, "utf8")) : undefined;
  rmSync(ranWith, { force: true });
  rmSync(join(root, "turbo-calls"), { force: true });
  return { status: result.status, stderr: result.stderr, turboCalls, ran };
}

describe("the root commands' runner (pnpm resize, pnpm iconctl, pnpm local, pnpm synth)", () => {
  let root: string;
  let caller: string;
  beforeEach(() => {
    root = workspace();
    caller = mkdtempSync(join(tmpdir(), "run-app-caller-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(caller, { recursive: true, force: true });
  });

  it("builds a never-built app first, then runs it with the caller's arguments and directory", () => {
    const first = runApp(root, caller);
    expect(first.turboCalls).toEqual([
      "run build --filter=@test/hello --output-logs=errors-only --log-prefix=none",
    ]);
    expect(first.ran).toEqual({ argv: ["--size", "16", "icons"], cwd: caller });
    expect(first.stderr).toBe("building @test/hello first: apps/hello/dist was never built\n");
    expect(first.status).toBe(0);
  });

  it("pays no build when the build is current", () => {
    runApp(root, caller);
    const second = runApp(root, caller);
    expect(second.turboCalls).toEqual([]);
    expect(second.stderr).toBe("");
    expect(second.ran?.argv).toEqual(["--size", "16", "icons"]);
  });

  it("builds again after a source changes, so a stale build never runs", () => {
    runApp(root, caller);
    appendFileSync(join(root, "apps", "hello", "src", "main.ts"), "// edited\n");
    expect(runApp(root, caller).turboCalls).toHaveLength(1);
  });

  it("runs nothing when the build fails, and exits with the build's code", () => {
    const failing = workspace(3);
    try {
      const result = runApp(failing, caller);
      expect(result.status).toBe(3);
      expect(result.ran).toBeUndefined();
    } finally {
      rmSync(failing, { recursive: true, force: true });
    }
  });
});
