import { describe, expect, it } from "vitest";
import { claimOutputs, isInputKey, outputKey, outputPrefixFor, twinSource } from "./keys.js";

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

  it("maps distinct keys to distinct outputs except x beside x.png", () => {
    const keys = [
      "icons/a.png",
      "icons/a.PNG",
      "icons/a",
      "icons/a.svg",
      "icons/b/a.png",
      "icons/logo.svg",
      "icons/logo.svg.png",
    ];
    const outputs = keys.map((key) => outputKey(key, 16));
    expect(outputs.filter((output, index) => outputs.indexOf(output) !== index)).toEqual([
      "icons-size-16/a.png",
      "icons-size-16/logo.svg.png",
    ]);
  });

  it("treats folder placeholders as not being inputs", () => {
    expect(isInputKey("icons/new-folder/")).toBe(false);
    expect(isInputKey("icons/a.png")).toBe(true);
  });
});

describe("twinSource", () => {
  it.each([
    ["icons/logo.svg", { key: "icons/logo.svg.png", preferred: true }],
    ["icons/logo.svg.png", { key: "icons/logo.svg", preferred: false }],
    ["icons/a", { key: "icons/a.png", preferred: true }],
    ["icons/a.png", { key: "icons/a", preferred: false }],
    ["icons/a.PNG", undefined],
    ["icons/a.PNG.png", undefined],
    ["icons/folder/.png", undefined],
  ])("%s → %j", (key, twin) => {
    expect(twinSource(key)).toEqual(twin);
  });

  it("names exactly the other key with the same output, and prefers the one ending in .png", () => {
    const stems = ["icons/a", "icons/d/", "icons/d/b.svg", "icons/c.PNG", "icons/e.png"];
    const endings = ["", ".png", ".PNG", ".Png", ".png.png", ".svg", ".svg.png", ".PNG.png"];
    const keys = stems.flatMap((stem) => endings.map((ending) => stem + ending)).filter((k) => isInputKey(k));
    for (const key of keys) {
      const sharing = keys.filter((other) => other !== key && outputKey(other, 16) === outputKey(key, 16));
      const twin = twinSource(key);
      expect(sharing, key).toEqual(twin && keys.includes(twin.key) ? [twin.key] : []);
      if (twin) {
        expect(outputKey(twin.key, 16), key).toBe(outputKey(key, 16));
        expect(twinSource(twin.key), key).toEqual({ key, preferred: !twin.preferred });
        const preferred = twin.preferred ? twin.key : key;
        expect(outputKey(key, 16).endsWith(preferred.slice("icons/".length)), key).toBe(true);
      }
    }
  });
});

describe("claimOutputs", () => {
  const named = (...keys: string[]) => keys.map((key, index) => ({ key, input: `#${index}` }));
  const claim = (items: { key: string; input: string }[]) => {
    const { kept, leftOut } = claimOutputs(items, (item) => item.key);
    return {
      kept: kept.map((item) => item.input),
      leftOut: leftOut.map(({ item, winner, why }) => [item.input, winner.input, why]),
    };
  };

  it.each([
    ["x first", named("icons/logo.svg", "icons/logo.svg.png")],
    ["x.png first", named("icons/logo.svg.png", "icons/logo.svg")],
  ])(
    "keeps the twin ending in .png, as the resizer renders it, whichever comes first (%s)",
    (_order, items) => {
      const png = items.find((item) => item.key.endsWith(".png"))?.input;
      const other = items.find((item) => !item.key.endsWith(".png"))?.input;
      expect(claim(items)).toEqual({ kept: [png], leftOut: [[other, png, "twin"]] });
    },
  );

  it("keeps the first of two files given the same key, and every source without a rival", () => {
    expect(claim(named("icons/a.png", "icons/b.svg", "icons/a.png", "icons/A.PNG"))).toEqual({
      kept: ["#0", "#1", "#3"],
      leftOut: [["#2", "#0", "same-key"]],
    });
  });

  it("names the final winner for every source left out, in the order they were given", () => {
    expect(claim(named("icons/x", "icons/x", "icons/x.png", "icons/x.png"))).toEqual({
      kept: ["#2"],
      leftOut: [
        ["#0", "#2", "twin"],
        ["#1", "#2", "twin"],
        ["#3", "#2", "same-key"],
      ],
    });
  });

  it("agrees with twinSource on every pair: the kept source is the preferred one", () => {
    for (const key of ["icons/a", "icons/d/b.svg", "icons/c.PNG", "icons/e.png.png", "icons/f.svg.png"]) {
      const twin = twinSource(key);
      if (!twin) continue;
      const { kept } = claimOutputs([key, twin.key], (k) => k);
      expect(kept, key).toEqual([twin.preferred ? twin.key : key]);
    }
  });
});
