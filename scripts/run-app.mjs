#!/usr/bin/env node
// Root commands that run an app's compiled entry (`pnpm synth`, `pnpm resize`): builds what the
// entry needs with turbo (cached), reporting on stderr so the command's own stdout stays clean
// (`pnpm -s resize … --json | jq`), then runs the entry from the caller's directory.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const [filter, entry, ...args] = process.argv.slice(2);
if (!filter || !entry) {
  process.stderr.write("usage: node scripts/run-app.mjs <package> <entry> [args...]\n");
  process.exit(2);
}
const turbo = join(root, "node_modules", ".bin", "turbo");
const build = spawnSync(
  turbo,
  ["run", "build", `--filter=${filter}`, "--output-logs=errors-only", "--log-prefix=none"],
  {
    cwd: root,
    stdio: ["ignore", process.stderr, process.stderr],
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);
// Ctrl-C reaches the entry as well (same process group): let it stop cleanly and report, then exit.
process.on("SIGINT", () => {});
const run = spawnSync(process.execPath, [join(root, entry), ...args], {
  stdio: "inherit",
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exit(run.status ?? 1);
