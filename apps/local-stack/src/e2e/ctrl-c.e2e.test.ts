import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { afterAll, expect, it, vi } from "vitest";
import { REPO_ROOT } from "./harness.js";

/**
 * Ctrl-C of `pnpm local` as a terminal sends it: SIGINT to the whole foreground process group
 * (pnpm, which forwards it once more, the local stack and every app it started). It uses the
 * repository's synth/dev.json and .local/dev, as `pnpm local` does.
 */

/** The pnpm running this suite (turbo and pnpm set npm_execpath), else the one on PATH. */
const pnpm = process.env.npm_execpath
  ? { command: process.execPath, args: [process.env.npm_execpath] }
  : { command: "pnpm", args: [] };
let child: ChildProcess | undefined;
afterAll(() => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, "SIGKILL");
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("pnpm local (bin/local) stops everything on Ctrl-C and exits 0 without pnpm's ELIFECYCLE", async () => {
  const started = spawn(pnpm.command, [...pnpm.args, "local", "--no-upload", "--status-seconds", "600"], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = started;
  let output = "";
  started.stdout.on("data", (chunk) => {
    output += chunk;
  });
  started.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const exited = once(started, "exit");
  await vi.waitFor(() => expect(output).toContain("running until Ctrl-C\n"), {
    timeout: 120_000,
    interval: 100,
  });
  const apps = [...output.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1]));
  expect(apps).toHaveLength(4);

  process.kill(-(started.pid as number), "SIGINT");
  const [code, signal] = await exited;
  expect(output).toContain("SIGINT: stopping 4 process(es) and the emulator…\nstopped in ");
  expect(output).not.toContain("ELIFECYCLE");
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(apps.filter(alive)).toEqual([]);
});
