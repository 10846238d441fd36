import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";

export class SynthError extends Error {
  override name = "SynthError";
}

export interface ProjectFile {
  name: string;
  /** Absolute path of the program's entry module. */
  entry: string;
  /** Absolute directory holding `Pulumi.<stack>.yaml`. */
  stackConfigDir: string;
}

/** Reads `Pulumi.yaml` the way the Pulumi CLI resolves `main` and `stackConfigDir`. */
export function readProjectFile(root: string): ProjectFile {
  const path = join(root, "Pulumi.yaml");
  if (!existsSync(path)) throw new SynthError(`no Pulumi.yaml in ${root}`);
  const project = readYaml(path, root) as { name?: unknown; main?: unknown; stackConfigDir?: unknown } | null;
  if (!project || typeof project.name !== "string") throw new SynthError("Pulumi.yaml: name is required");
  const main = join(root, typeof project.main === "string" ? project.main : ".");
  const manifest = join(main, "package.json");
  const entryName = existsSync(manifest)
    ? String((JSON.parse(readFileSync(manifest, "utf8")) as { main?: string }).main ?? "index.js")
    : "index.js";
  return {
    name: project.name,
    entry: join(main, entryName),
    stackConfigDir: join(root, typeof project.stackConfigDir === "string" ? project.stackConfigDir : "."),
  };
}

/** The `config:` map of `Pulumi.<stack>.yaml`, with a precise error when it is missing or malformed. */
export function readStackFile(project: ProjectFile, stack: string, root: string): Record<string, unknown> {
  if (!/^[\w.-]+$/.test(stack))
    throw new SynthError(`"${stack}" is not a stack name (letters, digits, _ . - only)`);
  const path = join(project.stackConfigDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) {
    const known = readdirSync(project.stackConfigDir)
      .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined);
    throw new SynthError(
      `no stack file ${relative(root, path)} (stacks with a file: ${known.length ? known.join(", ") : "none"})`,
    );
  }
  const document = readYaml(path, root) as { config?: unknown } | null;
  const config = document?.config;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new SynthError(`${relative(root, path)}: expected a "config:" mapping of namespaced keys`);
  }
  return config as Record<string, unknown>;
}

function readYaml(path: string, root: string): unknown {
  try {
    return parseYaml(readFileSync(path, "utf8"), { prettyErrors: true });
  } catch (error) {
    throw new SynthError(`${relative(root, path)}: ${(error as Error).message}`);
  }
}
