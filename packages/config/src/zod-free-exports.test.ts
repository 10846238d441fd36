import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Every module URL Node loads when importing `specifier`, recorded by a resolve hook in a fresh process. */
function modulesLoadedBy(specifier: string): string[] {
  const script = `
    import { registerHooks } from "node:module";
    const loaded = [];
    registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); loaded.push(result.url); return result; } });
    await import(${JSON.stringify(specifier)});
    process.stdout.write(JSON.stringify(loaded));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: new URL("..", import.meta.url),
    encoding: "utf8",
  });
  return JSON.parse(output) as string[];
}

// `pnpm resize` starts faster without zod (about 80 ms of a one-second run): these entries stay free of it.
describe("entries a command can import without the validation library", () => {
  it.each([
    "@icon-fanout/config/health-check",
    "@icon-fanout/config/keys",
    "@icon-fanout/config/output-metadata",
    "@icon-fanout/config/settings",
  ])("%s loads no zod", { timeout: 30_000 }, (specifier) => {
    const loaded = modulesLoadedBy(specifier);
    expect(loaded.some((url) => url.endsWith(".js"))).toBe(true);
    expect(loaded.filter((url) => url.includes("/zod/"))).toEqual([]);
  });

  it("the package's main entry does load zod (so the check above can tell)", { timeout: 30_000 }, () => {
    expect(modulesLoadedBy("@icon-fanout/config").some((url) => url.includes("/zod/"))).toBe(true);
  });
});
