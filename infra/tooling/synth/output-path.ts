import { statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";

/** Where `pnpm synth` writes its document, and how to name that place to the user. */
export interface SynthOutput {
  path: string;
  /** `--json` exactly as given; the default relative to the caller's directory when it lies below it. */
  shown: string;
  /** Whether the folder is the repository's own `synth/`, which is created when missing. */
  createFolder: boolean;
}

/** A wrong `--json` path: the command line is wrong, nothing was rendered. */
export class SynthPathError extends Error {
  override name = "SynthPathError";
}

/**
 * `--json <path>` is resolved from the caller's directory and its folder must already exist: a
 * typo must not leave a new folder (at the filesystem root, even) behind. The default,
 * `synth/<stack>.json` in the repository, creates `synth/`.
 */
export function synthOutput(stack: string, json: string | undefined, cwd: string, root: string): SynthOutput {
  if (json === undefined) {
    const path = join(root, "synth", `${stack}.json`);
    const below = relative(cwd, path);
    return {
      path,
      shown: below.startsWith("..") || isAbsolute(below) ? path : below,
      createFolder: true,
    };
  }
  const path = resolve(cwd, json);
  const folder = dirname(path);
  const info = statSync(folder, { throwIfNoEntry: false });
  if (!info) throw new SynthPathError(`--json ${json}: folder ${folder} does not exist; create it first`);
  if (!info.isDirectory()) throw new SynthPathError(`--json ${json}: ${folder} is not a folder`);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new SynthPathError(`--json ${json}: is a folder; name the file to write`);
  return { path, shown: json, createFolder: false };
}
