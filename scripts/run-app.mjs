#!/usr/bin/env node
// Root commands that run an app's compiled entry (`pnpm synth`, `pnpm resize`, `pnpm iconctl`).
// A stale dist/ is never run: the build inputs turbo.json declares, of the app and every workspace
// package it depends on, are fingerprinted (a few milliseconds), and only when the fingerprint
// differs from the last build's does turbo build them (reporting on stderr, so the command's own
// stdout stays clean: `pnpm -s resize … --json | jq`). The entry then runs in this process.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { globSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, matchesGlob } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("..", import.meta.url).pathname;
const [filter, entry, ...args] = process.argv.slice(2);
if (!filter || !entry) {
  process.stderr.write("usage: node scripts/run-app.mjs <package> <entry> [args...]\n");
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));
const turbo = readJson(join(root, "turbo.json"));

/** Workspace package folders by name, from pnpm-workspace.yaml's `apps/*`-style globs. */
function workspaceFolders() {
  const patterns = [...readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").matchAll(/^ {2}- (\S+)$/gm)];
  const folders = new Map();
  for (const folder of globSync(
    patterns.map((match) => match[1]),
    { cwd: root },
  )) {
    try {
      folders.set(readJson(join(root, folder, "package.json")).name, folder);
    } catch {
      // not a package
    }
  }
  return folders;
}

/** The package and every workspace package it depends on, transitively (turbo's `^build`). */
function closure(name, folders) {
  const seen = new Set();
  const visit = (current) => {
    const folder = folders.get(current);
    if (!folder || seen.has(folder)) return;
    seen.add(folder);
    const manifest = readJson(join(root, folder, "package.json"));
    for (const [dependency, version] of Object.entries({
      ...manifest.dependencies,
      ...manifest.devDependencies,
    })) {
      if (String(version).startsWith("workspace:")) visit(dependency);
    }
  };
  visit(name);
  return [...seen].sort();
}

/** Files matching turbo's `inputs` for the build task (globs, `!` exclusions), relative to `folder`. */
function buildInputs(folder) {
  const patterns = turbo.tasks.build.inputs;
  const include = patterns.filter((pattern) => !pattern.startsWith("!"));
  const exclude = patterns.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
  return globSync(include, { cwd: join(root, folder) })
    .filter((file) => !exclude.some((pattern) => matchesGlob(file, pattern)))
    .filter((file) => statSync(join(root, folder, file)).isFile())
    .sort();
}

function fingerprint(folders) {
  const hash = createHash("sha256");
  const files = [
    ...turbo.globalDependencies,
    ...folders.flatMap((folder) => buildInputs(folder).map((file) => join(folder, file))),
  ];
  for (const file of files) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update("\0");
  return hash.digest("hex");
}

const stampFile = join(root, "node_modules", ".cache", "run-app", `${filter.replace(/[^\w.-]/g, "_")}.sha256`);
const current = fingerprint(closure(filter, workspaceFolders()));
let built = "";
try {
  built = readFileSync(stampFile, "utf8");
} catch {
  // never built through this script
}
if (built !== current) {
  const build = spawnSync(
    join(root, "node_modules", ".bin", "turbo"),
    ["run", "build", `--filter=${filter}`, "--output-logs=errors-only", "--log-prefix=none"],
    { cwd: root, stdio: ["ignore", process.stderr, process.stderr] },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(join(stampFile, ".."), { recursive: true });
  writeFileSync(stampFile, current);
}

// The entry reads its arguments from process.argv and resolves relative paths against the caller's
// directory (pnpm runs root scripts from the root and passes the caller's in INIT_CWD).
process.argv = [process.argv[0] ?? process.execPath, join(root, entry), ...args];
if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
await import(pathToFileURL(join(root, entry)).href);
