#!/usr/bin/env node
// Root commands that run an app's compiled entry (`pnpm synth`, `pnpm resize`, `pnpm iconctl`, `pnpm local`).
// A stale dist/ is never run, and a current one costs no build: the app's and its workspace
// packages' build digests (scripts/build-digest.mjs, a few milliseconds) decide whether turbo
// builds first (saying so and reporting on stderr, so the command's own stdout stays clean:
// `pnpm -s resize … --json | jq`). The entry then runs in this process.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildProblems } from "./build-digest.mjs";

const root = new URL("..", import.meta.url).pathname;
const [filter, entry, ...args] = process.argv.slice(2);
if (!filter || !entry) {
  process.stderr.write("usage: node scripts/run-app.mjs <package> <entry> [args...]\n");
  process.exit(2);
}

const entryPath = join(root, entry);
let packageDir = dirname(entryPath);
while (!existsSync(join(packageDir, "package.json")) && packageDir !== root) packageDir = dirname(packageDir);

const problems = buildProblems(packageDir);
if (problems.length > 0) {
  // Say why the command waits: a build can take half a minute.
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  process.stderr.write(`building ${filter} first: ${problems[0]}${more}\n`);
  const build = spawnSync(
    join(root, "node_modules", ".bin", "turbo"),
    ["run", "build", `--filter=${filter}`, "--output-logs=errors-only", "--log-prefix=none"],
    { cwd: root, stdio: ["ignore", process.stderr, process.stderr] },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The entry reads process.argv as if started directly, from the caller's directory (pnpm runs root
// scripts at the root and passes the caller's directory in INIT_CWD).
process.argv = [process.execPath, entryPath, ...args];
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import(pathToFileURL(entryPath).href);
