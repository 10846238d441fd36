#!/usr/bin/env node
// A package's build ends with `node <root>/scripts/build-digest.mjs`, which records a digest of the
// sources it compiled in dist/. Programs that run dist/ under Pulumi (infra's program, the policy
// pack) call `assertBuilt` first, so a missing or stale build stops them with the command to run.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DIGEST_FILE = "dist/build-digest.json";
const repoRoot = realpathSync(fileURLToPath(new URL("..", import.meta.url)));

/**
 * Digest of what a build compiles: the inputs turbo.json gives the build task (src/ and tooling/
 * without tests, the package's tsconfigs and manifest) and the shared tsconfig.base.json.
 */
function sourceDigest(packageDir) {
  const files = ["package.json", "tsconfig.json", "tsconfig.build.json", "tsconfig.tooling.json"].filter(
    (file) => existsSync(join(packageDir, file)),
  );
  for (const sources of ["src", "tooling"])
    files.push(...filesUnder(packageDir, sources).filter((file) => !file.endsWith(".test.ts")));
  const hash = createHash("sha256");
  const base = join(repoRoot, "tsconfig.base.json");
  if (existsSync(base)) hash.update(readFileSync(base));
  for (const file of files.sort()) {
    hash.update(`\0${file}\0`);
    hash.update(readFileSync(join(packageDir, file)));
  }
  return hash.digest("hex");
}

/**
 * Calls `visit(packageDir, label)` for `packageDir` and, depth first and each once, every
 * workspace package it depends on at run time, found through its node_modules links; calls
 * `missing(label, name)` for a dependency whose link is absent. `label` is the folder's path from
 * the repository root.
 */
export function walkRuntimeWorkspace(packageDir, visit, missing) {
  const seen = new Set();
  const walk = (dir) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const label = relative(repoRoot, dir) || ".";
    visit(dir, label);
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
      if (!String(version).startsWith("workspace:")) continue;
      const linked = join(dir, "node_modules", name);
      if (existsSync(linked)) walk(realpathSync(linked));
      else missing(label, name);
    }
  };
  walk(realpathSync(packageDir));
}

/**
 * Why `programDir`'s dist/ cannot run: for it and every workspace package it depends on at run
 * time, a build that is missing or was compiled from other sources than those on disk now.
 */
export function buildProblems(programDir) {
  const problems = [];
  walkRuntimeWorkspace(
    programDir,
    (packageDir, label) => {
      const digestPath = join(packageDir, DIGEST_FILE);
      if (!existsSync(digestPath)) problems.push(`${label}/dist was never built`);
      else if (JSON.parse(readFileSync(digestPath, "utf8")).digest !== sourceDigest(packageDir)) {
        problems.push(`${label}/dist was built from other sources than those in ${label}/`);
      }
    },
    (label, name) =>
      problems.push(`${label}/node_modules/${name} is missing (run \`pnpm install --frozen-lockfile\`)`),
  );
  return problems;
}

/** Throws, naming the command to run, unless `programDir`'s build is present and current. */
export function assertBuilt(programDir, what) {
  const problems = buildProblems(fileURLToPathIfUrl(programDir));
  if (problems.length === 0) return;
  throw new Error(
    `${what} will not run a missing or stale build:\n${problems.map((problem) => `  - ${problem}`).join("\n")}\n` +
      `Run \`pnpm build\` at the repository root (${repoRoot}), then run the command again.`,
  );
}

function fileURLToPathIfUrl(location) {
  return location instanceof URL ? fileURLToPath(location) : resolve(location);
}

function filesUnder(root, directory) {
  const absolute = join(root, directory);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const packageDir = process.cwd();
  const target = join(packageDir, DIGEST_FILE);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify({ digest: sourceDigest(packageDir) })}\n`);
}
