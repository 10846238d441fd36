import { deflateSync, inflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { deflateOptionsFor, encodePng } from "./png.js";
import { resampleArea } from "./resample.js";
import { corpus } from "./test-images.js";

/** The IDAT payload of a PNG written by encodePng (a single IDAT chunk after the 33-byte head). */
function idat(png: Buffer): Buffer {
  const length = png.readUInt32BE(33);
  expect(png.toString("latin1", 37, 41)).toBe("IDAT");
  return png.subarray(41, 41 + length);
}

describe("encodePng", () => {
  it.each([
    ["opaque pixels as RGB", 255, 3],
    ["translucent pixels as RGBA", 128, 4],
  ])("writes %s that decode to the same pixels", async (_name, alpha, channels) => {
    const width = 7;
    const height = 5;
    const pixels = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? alpha : (i * 37) % 256));
    const png = await encodePng(pixels, width, height);
    const decoded = await sharp(png, { failOn: "warning" })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(decoded.info).toMatchObject({ width, height });
    expect((await sharp(png).metadata()).channels).toBe(channels);
    expect([...decoded.data]).toEqual([...pixels]);
  });

  it("compresses the test icons as small as zlib's full-size state would", { timeout: 60_000 }, async () => {
    let written = 0;
    let fullState = 0;
    for (const { name, bytes } of corpus()) {
      const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      for (const size of [16, 32, 64]) {
        const scale = size / Math.max(info.width, info.height);
        const width = Math.max(1, Math.round(info.width * scale));
        const height = Math.max(1, Math.round(info.height * scale));
        const pixels = resampleArea(data, info.width, info.height, width, height);
        const compressed = idat(await encodePng(pixels, width, height));
        const rows = inflateSync(compressed);
        const withFullState = deflateSync(rows, { level: 6 }).length;
        written += compressed.length;
        fullState += withFullState;
        expect(compressed.length, `${name} at ${size} px`).toBeLessThanOrEqual(withFullState * 1.02);
      }
    }
    expect(written).toBeLessThanOrEqual(fullState);
  });
});

describe("deflateOptionsFor", () => {
  it("keeps the whole input inside the window, at least zlib's smallest", () => {
    for (const length of [0, 1, 250, 1040, 4096, 16_448, 32_000]) {
      const { windowBits = 15, memLevel } = deflateOptionsFor(length);
      expect(windowBits).toBeGreaterThanOrEqual(9);
      expect((1 << windowBits) - 262, `length ${length}`).toBeGreaterThanOrEqual(length);
      if (windowBits > 9) expect((1 << (windowBits - 1)) - 262).toBeLessThan(length);
      expect(memLevel).toBe(windowBits - 7);
    }
  });

  it("uses zlib's defaults once the rows outgrow the largest window", () => {
    expect(deflateOptionsFor(40_000)).toEqual({ level: 6, windowBits: 15, memLevel: 8 });
    expect(deflateOptionsFor(5_000_000)).toEqual({ level: 6, windowBits: 15, memLevel: 8 });
  });
});
