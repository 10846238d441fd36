/** The repository's real test icons (see SOURCES.tsv for where each comes from and its licence). */
import { readdirSync, readFileSync } from "node:fs";

/** Absolute path of the folder of icons, with a trailing slash. */
export const iconsDir = new URL("../icons/", import.meta.url).pathname;

/** Absolute path of the manifest: one row per icon with its Debian source, licence and SHA-256. */
export const sourcesFile = new URL("../SOURCES.tsv", import.meta.url).pathname;

export interface TestIcon {
  name: string;
  bytes: Buffer;
}

/** Every icon in the folder, sorted by file name. */
export function loadIcons(): TestIcon[] {
  return iconNames().map((name) => ({ name, bytes: readFileSync(`${iconsDir}${name}`) }));
}

/** File names in the folder, sorted. */
export function iconNames(): string[] {
  return readdirSync(iconsDir)
    .filter((name) => name.endsWith(".png"))
    .sort();
}

export interface IconSource {
  file: string;
  debianPackage: string;
  pathInPackage: string;
  license: string;
  sha256: string;
}

/** The rows of SOURCES.tsv. */
export function iconSources(): IconSource[] {
  const [header, ...rows] = readFileSync(sourcesFile, "utf8").trimEnd().split("\n");
  if (header !== "file\tdebian_package\tpath_in_package\tlicense\tsha256")
    throw new Error(`${sourcesFile}: unexpected header ${JSON.stringify(header)}`);
  return rows.map((row, index) => {
    const [file, debianPackage, pathInPackage, license, sha256, ...extra] = row.split("\t");
    if (!file || !debianPackage || !pathInPackage || !license || !sha256 || extra.length > 0)
      throw new Error(`${sourcesFile}:${index + 2}: expected 5 tab-separated fields`);
    return { file, debianPackage, pathInPackage, license, sha256 };
  });
}
