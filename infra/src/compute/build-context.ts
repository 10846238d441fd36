import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join, relative } from "node:path";

/** What every build tag starts with; the ECR lifecycle policy selects builds by it. */
export const BUILD_TAG_PREFIX = "build-";

/** One line of a `.dockerignore` file: what it matches, and whether it re-includes (`!`). */
interface IgnoreRule {
  pattern: RegExp;
  include: boolean;
  /** The part before the first wildcard: a re-including rule can only reach paths under it. */
  literalPrefix: string;
}

/**
 * The rules of a `.dockerignore` file, as BuildKit reads them: `#` comments and blank lines
 * skipped, `!` re-includes, `*` and `?` stay within one path segment, `**` spans any number, and
 * the last rule that matches a path (or one of its parent folders) decides. Character classes
 * (`[…]`) and escapes are refused rather than guessed at.
 */
export function parseDockerignore(text: string, source: string): IgnoreRule[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return [];
    const include = trimmed.startsWith("!");
    const body = (include ? trimmed.slice(1).trim() : trimmed).replace(/^\/+|\/+$/g, "");
    if (/[[\]\\]/.test(body) || body === "")
      throw new Error(
        `${source}:${index + 1}: unsupported pattern ${JSON.stringify(trimmed)} (use *, ? and ** only)`,
      );
    return [{ pattern: globPattern(body), include, literalPrefix: body.split(/[*?]/)[0] ?? "" }];
  });
}

function globPattern(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** The index of the last rule matching `path` (relative, `/`-separated) or one of its parents; -1 if none. */
function lastMatch(rules: IgnoreRule[], path: string): number {
  const parents = path.split("/").map((_, index, parts) => parts.slice(0, index + 1).join("/"));
  return rules.findLastIndex((rule) => parents.some((candidate) => rule.pattern.test(candidate)));
}

/** Whether `path` is left out of the context: the last rule matching it or a parent decides. */
function excluded(rules: IgnoreRule[], path: string): boolean {
  const index = lastMatch(rules, path);
  return index >= 0 && !rules[index]?.include;
}

/**
 * Whether a path under the excluded folder `dir` could be kept: only by a re-including rule after
 * the one that excluded `dir`, and only one whose fixed start lies inside `dir` or above it.
 */
function mayReinclude(rules: IgnoreRule[], dir: string): boolean {
  return rules
    .slice(lastMatch(rules, dir) + 1)
    .some(
      (rule) =>
        rule.include &&
        (rule.literalPrefix.startsWith(`${dir}/`) || `${dir}/`.startsWith(rule.literalPrefix)),
    );
}

/** The files (and symbolic links) of the build context rooted at `root` that `rules` keep, relative and sorted. */
export function contextFiles(root: string, rules: IgnoreRule[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
      const out = excluded(rules, path);
      if (entry.isDirectory()) {
        if (!out || mayReinclude(rules, path)) walk(path);
      } else if (!out) files.push(path);
    }
  };
  walk("");
  return files.sort();
}

/**
 * The tag of an app's image: `build-` and a digest of what its build sends and builds for (every
 * file of the build context its `Dockerfile.dockerignore` keeps, with its path, the Dockerfile
 * and the platform). The same sources give the same tag; any change to them gives another.
 */
export function buildTag(root: string, dockerfile: string, platform: string): string {
  const ignoreFile = `${dockerfile}.dockerignore`;
  if (!existsSync(ignoreFile))
    throw new Error(
      `${relative(root, ignoreFile)} is missing: an image's tag is the digest of the build context it selects`,
    );
  const rules = parseDockerignore(readFileSync(ignoreFile, "utf8"), relative(root, ignoreFile));
  const hash = createHash("sha256");
  hash.update(`platform\0${platform}\0dockerfile\0`);
  hash.update(readFileSync(dockerfile));
  for (const file of contextFiles(root, rules)) {
    const absolute = join(root, file);
    const content = lstatSync(absolute).isSymbolicLink()
      ? Buffer.from(`symlink ${readlinkSync(absolute)}`)
      : readFileSync(absolute);
    hash.update(`\0${file}\0${content.length}\0`);
    hash.update(content);
  }
  return `${BUILD_TAG_PREFIX}${hash.digest("hex").slice(0, 24)}`;
}
