import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const launcher = fileURLToPath(new URL("../../../bin/iconctl", import.meta.url));
/** The runner's Node first, as scripts/toolchain.sh puts it. */
const env = { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };

// Each test starts a Node process that loads the AWS SDK: allow for a busy machine.
describe("iconctl as a process", { timeout: 30_000 }, () => {
  it("runs from bin/iconctl without pnpm", () => {
    const result = spawnSync(launcher, ["--help"], { encoding: "utf8", env });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: iconctl");
  });

  it("exits quietly when its reader closes the pipe early (iconctl … | head)", async () => {
    const child = spawn(process.execPath, [entry, "--help"], { stdio: ["ignore", "pipe", "pipe"], env });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, "exit");
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
