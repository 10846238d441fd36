import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildTag, contextFiles, parseDockerignore } from "./build-context.js";
import { REPOSITORY_ROOT } from "./container-image.js";

const IGNORE = [
  "# only what the build copies",
  "*",
  "!package.json",
  "!apps/app",
  "!packages/lib",
  "**/node_modules",
  "**/*.test.ts",
].join("\n");

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A repository with one app whose Dockerfile.dockerignore is IGNORE. */
function repository(): string {
  const root = mkdtempSync(join(tmpdir(), "build-context-"));
  roots.push(root);
  const files: Record<string, string> = {
    "package.json": "{}",
    "README.md": "not in the context",
    "apps/app/Dockerfile": "FROM scratch",
    "apps/app/Dockerfile.dockerignore": IGNORE,
    "apps/app/src/main.ts": "main",
    "apps/app/src/main.test.ts": "a test",
    "apps/app/node_modules/dep/index.js": "a dependency",
    "apps/other/src/main.ts": "another app",
    "packages/lib/src/index.ts": "lib",
    "node_modules/.pnpm/huge/index.js": "the store",
  };
  for (const [path, content] of Object.entries(files)) write(root, path, content);
  return root;
}

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

const tagOf = (root: string, platform = "linux/arm64") =>
  buildTag(root, join(root, "apps/app/Dockerfile"), platform);

describe("the build context an app's Dockerfile.dockerignore selects", () => {
  it("keeps the files it lets through and nothing under excluded folders", () => {
    const root = repository();
    expect(contextFiles(root, parseDockerignore(IGNORE, "test"))).toEqual([
      "apps/app/Dockerfile",
      "apps/app/Dockerfile.dockerignore",
      "apps/app/src/main.ts",
      "package.json",
      "packages/lib/src/index.ts",
    ]);
  });

  it("keeps a symbolic link as a link", () => {
    const root = repository();
    symlinkSync("main.ts", join(root, "apps/app/src/alias.ts"));
    expect(contextFiles(root, parseDockerignore(IGNORE, "test"))).toContain("apps/app/src/alias.ts");
  });

  it("refuses patterns it would have to guess at, naming the file and line", () => {
    expect(() => parseDockerignore("*\n!apps/[ab]pp", "apps/app/Dockerfile.dockerignore")).toThrow(
      'apps/app/Dockerfile.dockerignore:2: unsupported pattern "!apps/[ab]pp" (use *, ? and ** only)',
    );
  });
});

describe("an image's build tag", () => {
  it("is build- and a digest, the same for the same sources", () => {
    const root = repository();
    expect(tagOf(root)).toMatch(/^build-[0-9a-f]{24}$/);
    expect(tagOf(root)).toBe(tagOf(root));
  });

  it.each([
    ["changes", "a source of the app", "apps/app/src/main.ts"],
    ["changes", "a workspace package it copies", "packages/lib/src/index.ts"],
    ["changes", "the Dockerfile", "apps/app/Dockerfile"],
    ["changes", "a new file in the app", "apps/app/src/new.ts"],
    ["stays", "a file outside the context", "README.md"],
    ["stays", "another app", "apps/other/src/main.ts"],
    ["stays", "a test", "apps/app/src/main.test.ts"],
    ["stays", "an installed dependency", "apps/app/node_modules/dep/index.js"],
  ])("%s with a change to %s", (effect, _what, path) => {
    const root = repository();
    const before = tagOf(root);
    write(root, path, "changed");
    expect(tagOf(root) === before ? "stays" : "changes").toBe(effect);
  });

  it("changes with the platform", () => {
    const root = repository();
    expect(tagOf(root, "linux/amd64")).not.toBe(tagOf(root, "linux/arm64"));
  });

  it("needs the Dockerfile's .dockerignore, naming it", () => {
    const root = repository();
    rmSync(join(root, "apps/app/Dockerfile.dockerignore"));
    expect(() => tagOf(root)).toThrow(
      "apps/app/Dockerfile.dockerignore is missing: an image's tag is the digest of the build context it selects",
    );
  });

  it.each(["resizer", "metric-publisher"])("is computed for the real %s image", (app) => {
    expect(buildTag(REPOSITORY_ROOT, `${REPOSITORY_ROOT}apps/${app}/Dockerfile`, "linux/arm64")).toMatch(
      /^build-[0-9a-f]{24}$/,
    );
  });
});
