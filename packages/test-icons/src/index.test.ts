import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { iconNames, iconSources, loadIcons } from "./index.js";

const licenseFile = (license: string) => new URL(`../licenses/${license}.txt`, import.meta.url).pathname;

describe("the test icons", () => {
  const sources = iconSources();
  const icons = loadIcons();

  it("are exactly the files SOURCES.tsv lists, in the same order", () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(iconNames()).toEqual(sources.map((source) => source.file));
  });

  it("are byte for byte what SOURCES.tsv records", () => {
    const digests = icons.map(({ bytes }) => createHash("sha256").update(bytes).digest("hex"));
    expect(digests).toEqual(sources.map((source) => source.sha256));
  });

  it("each name a licence whose full text ships beside them", () => {
    const licenses = new Set(sources.map((source) => source.license));
    expect([...licenses].sort()).toEqual(["GPL-2.0-or-later", "GPL-3.0-or-later"]);
    for (const license of licenses) expect(existsSync(licenseFile(license)), license).toBe(true);
  });

  it("are PNG files", () => {
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const notPng = icons
      .filter(({ bytes }) => !bytes.subarray(0, 8).equals(signature))
      .map(({ name }) => name);
    expect(notPng).toEqual([]);
  });
});
