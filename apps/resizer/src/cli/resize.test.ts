import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EMPTY_FILE, UNSUPPORTED_FORMAT } from "@icon-fanout/imaging";
import { iconsDir } from "@icon-fanout/test-icons";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../dist/cli/resize.js", import.meta.url));
/** Where scripts/toolchain.sh installs Node 24 when the machine's Node is older. */
const toolchainNode = fileURLToPath(
  new URL("../../../../.toolchain/node_modules/.bin/node", import.meta.url),
);
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "resize-cli-"));
  const inputs = join(scratch, "in");
  mkdirSync(join(inputs, "team"), { recursive: true });
  cpSync(join(iconsDir, "001-call-stop.png"), join(inputs, "team", "stop.png"));
  cpSync(join(iconsDir, "079-image-png.png"), join(inputs, "logo.PNG"));
  writeFileSync(join(inputs, "notes.txt"), "not an image");
  writeFileSync(join(inputs, "empty.png"), "");
  cpSync(join(iconsDir, "001-call-stop.png"), join(inputs, "cut.png"));
  truncateSync(join(inputs, "cut.png"), 1500);
  writeFileSync(join(inputs, ".DS_Store"), "finder");
  writeFileSync(
    join(inputs, "mark.svg"),
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#f00"/></svg>',
  );
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function resize(args: string[]) {
  return spawnSync(process.execPath, [entry, ...args], {
    cwd: scratch,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
}

// Each test starts a Node process that loads sharp: allow for a machine busy with other work.
describe("pnpm resize", { timeout: 30_000 }, () => {
  it("writes DIR/icons-size-N/<path> for a directory, reports failures, and exits 1 when any failed", async () => {
    const result = resize(["in", "--size", "16", "--size", "48", "--out", "out", "--json"]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as {
      outputs: { input: string; size: number; output: string; width: number; height: number }[];
      failed: { input: string; error: string; code: string; detail?: string }[];
    };
    expect(
      report.outputs.map((o) => [o.input, o.size, o.output.slice(scratch.length + 1), o.width, o.height]),
    ).toEqual([
      ["in/logo.PNG", 16, "out/icons-size-16/logo.PNG", 16, 16],
      ["in/logo.PNG", 48, "out/icons-size-48/logo.PNG", 48, 48],
      ["in/mark.svg", 16, "out/icons-size-16/mark.svg.png", 16, 8],
      ["in/mark.svg", 48, "out/icons-size-48/mark.svg.png", 48, 24],
      ["in/team/stop.png", 16, "out/icons-size-16/team/stop.png", 16, 16],
      ["in/team/stop.png", 48, "out/icons-size-48/team/stop.png", 48, 48],
    ]);
    expect(report.failed).toEqual([
      {
        input: "in/cut.png",
        error: "truncated: the PNG data ends early",
        code: "truncated",
        detail: expect.stringMatching(/\S/),
      },
      { input: "in/empty.png", error: `empty: ${EMPTY_FILE}`, code: "empty" },
      { input: "in/notes.txt", error: `not-an-image: ${UNSUPPORTED_FORMAT}`, code: "not-an-image" },
    ]);
    const written = await sharp(join(scratch, "out/icons-size-48/team/stop.png")).metadata();
    expect([written.format, written.width]).toEqual(["png", 48]);
  });

  it("names a single file's output after the file, and exits 0 when all succeed", () => {
    const result = resize(["in/team/stop.png", "--size", "32", "--out", "single"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^resized 1 icon to 32 px: 1 files in single \(\d+\.\d s\)\n$/);
  });

  it.each([
    ["named x first", ["twins/logo.svg", "twins/logo.svg.png"]],
    ["named x.png first", ["twins/logo.svg.png", "twins/logo.svg"]],
    ["in a directory", ["twins"]],
  ])(
    "of twins x and x.png in one run resizes x.png, which owns the output, and reports x (%s)",
    (_how, inputs) => {
      mkdirSync(join(scratch, "twins"), { recursive: true });
      writeFileSync(
        join(scratch, "twins/logo.svg"),
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>',
      );
      cpSync(join(iconsDir, "001-call-stop.png"), join(scratch, "twins/logo.svg.png"));
      const out = `clash-${inputs.length}-${inputs[0]?.length}`;
      const result = resize([...inputs, "--size", "16", "--out", out, "--json"]);
      expect(result.status).toBe(1);
      const report = JSON.parse(result.stdout);
      expect(report.outputs.map((output: { input: string }) => output.input)).toEqual(["twins/logo.svg.png"]);
      expect(report.failed).toEqual([
        {
          input: "twins/logo.svg",
          code: "twin",
          error: "its twin twins/logo.svg.png makes the same outputs and wins (of x and x.png, x.png does)",
        },
      ]);
    },
  );

  it("reports the second of two files named alike (the same key), naming the first", () => {
    mkdirSync(join(scratch, "other"), { recursive: true });
    cpSync(join(iconsDir, "002-document-open-recent.png"), join(scratch, "other/stop.png"));
    const result = resize(["in/team/stop.png", "other/stop.png", "--size", "16", "--out", "alike", "--json"]);
    expect(JSON.parse(result.stdout).failed).toEqual([
      {
        input: "other/stop.png",
        code: "same-key",
        error: "in/team/stop.png has the same key and was named first",
      },
    ]);
  });

  it.each([
    [["in", "--out", "o"], "--size N is required"],
    [["in", "--size", "0", "--out", "o"], "--size 0: must be an integer between 1 and 4096"],
    [["in", "--size", "16"], "--out DIR is required"],
    [["--size", "16", "--out", "o"], "name at least one file or directory"],
    [
      ["in", "--size", "16", "--out", "o", "--bogus"],
      "unknown option --bogus (a file whose name starts with - goes after --, as in: -- --bogus)",
    ],
    [["in", "--out", "o", "--size"], "--size needs a value"],
    [["in", "--size", "16", "--out", "--json"], "--out needs a value"],
    [["in", "--size", "16", "--out", "o", "--json=yes"], "--json takes no value"],
  ])("refuses %j with usage and exit code 2", (args, message) => {
    const result = resize(args);
    expect(result.status).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(`resize: ${message}`);
    expect(result.stderr).toContain("usage: pnpm resize");
  });

  it("runs the same from bin/resize, in the caller's directory, without pnpm", () => {
    const launcher = fileURLToPath(new URL("../../../../bin/resize", import.meta.url));
    const result = spawnSync(launcher, ["in/team/stop.png", "--size", "24", "--out", "launched", "--json"], {
      cwd: scratch,
      encoding: "utf8",
      // The runner's Node first, as scripts/toolchain.sh puts it; no INIT_CWD, as outside pnpm.
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).outputs).toMatchObject([
      { input: "in/team/stop.png", size: 24, output: join(scratch, "launched/icons-size-24/stop.png") },
    ]);
  });

  it("writes every output, and exits quietly with its usual code, when its reader closes the pipe early (… --json | head)", async () => {
    const args = ["in/team/stop.png", "missing.png", "--size", "20", "--out", "piped", "--json"];
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: scratch,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "" },
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(child, "exit");
    expect(stderr).toBe("");
    expect(code).toBe(1); // missing.png failed
    expect((await sharp(join(scratch, "piped/icons-size-20/stop.png")).metadata()).width).toBe(20);
  });

  it.skipIf(!existsSync(toolchainNode))(
    "bin/resize runs on the toolchain's Node 24 from a shell that has not sourced scripts/toolchain.sh",
    () => {
      const launcher = fileURLToPath(new URL("../../../../bin/resize", import.meta.url));
      const fakes = mkdtempSync(join(tmpdir(), "old-node-"));
      writeFileSync(join(fakes, "node"), "#!/bin/sh\necho 'the machine's old Node ran' >&2\nexit 9\n", {
        mode: 0o755,
      });
      const result = spawnSync(launcher, ["in/team/stop.png", "--size", "12", "--out", "fresh-shell"], {
        cwd: scratch,
        encoding: "utf8",
        env: { PATH: `${fakes}:/usr/bin:/bin` },
      });
      rmSync(fakes, { recursive: true, force: true });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
    },
  );

  it("reports a missing input and still processes the rest", () => {
    const result = resize(["missing.png", "in/logo.PNG", "--size", "16", "--out", "partial", "--json"]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.failed).toEqual([
      { input: "missing.png", code: "no-such-file", error: "no such file or directory" },
    ]);
    expect(report.outputs).toHaveLength(1);
  });
});
