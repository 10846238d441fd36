import { describe, expect, it } from "vitest";
import { isInputKey, outputCollisions, outputKey, outputPrefixFor } from "./keys.js";

describe("outputKey", () => {
  it.each([
    ["icons/a/b.png", 16, "icons-size-16/a/b.png"],
    ["icons/logo.svg", 16, "icons-size-16/logo.svg.png"],
    ["icons/LOGO.PNG", 32, "icons-size-32/LOGO.PNG"],
    ["icons/photo.jpeg", 64, "icons-size-64/photo.jpeg.png"],
    ["icons/no-extension", 64, "icons-size-64/no-extension.png"],
    ["icons/my logo (1).png", 16, "icons-size-16/my logo (1).png"],
    ["icons/日本/😀.webp", 16, "icons-size-16/日本/😀.webp.png"],
    ["icons/icons/nested.png", 16, "icons-size-16/icons/nested.png"],
  ])("%s at %i → %s", (source, size, expected) => {
    expect(outputKey(source, size)).toBe(expected);
  });

  it("follows a configured layout", () => {
    expect(outputKey("uploads/a.gif", 48, { inputPrefix: "uploads/", outputPrefix: "resized/" })).toBe(
      "resized/48/a.gif.png",
    );
    expect(outputPrefixFor(48, { inputPrefix: "uploads/", outputPrefix: "resized/" })).toBe("resized/48/");
  });

  it("never writes under the input prefix", () => {
    for (const size of [1, 16, 4096]) expect(outputKey("icons/x.png", size).startsWith("icons/")).toBe(false);
  });

  it.each([
    ["other/a.png", /is not an object under icons\//],
    ["icons/", /is not an object under icons\//],
    ["icons/folder/", /is not an object under icons\//],
  ])("refuses the source key %s", (key, message) => {
    expect(() => outputKey(key, 16)).toThrow(message);
  });

  it.each([0, -1, 1.5, 4097, Number.NaN])("refuses the size %s", (size) => {
    expect(() => outputKey("icons/a.png", size)).toThrow(/size must be an integer between 1 and 4096/);
  });

  it("maps distinct keys to distinct outputs except x beside x.png, which outputCollisions reports", () => {
    const keys = [
      "icons/a.png",
      "icons/a.PNG",
      "icons/a",
      "icons/a.svg",
      "icons/b/a.png",
      "icons/logo.svg",
      "icons/logo.svg.png",
    ];
    expect(outputCollisions(keys)).toEqual([
      ["icons/a.png", "icons/a"],
      ["icons/logo.svg", "icons/logo.svg.png"],
    ]);
  });

  it("treats folder placeholders as not being inputs", () => {
    expect(isInputKey("icons/new-folder/")).toBe(false);
    expect(isInputKey("icons/a.png")).toBe(true);
  });
});
