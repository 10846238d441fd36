import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { findDamage } from "./damage.js";
import { sniffFormat } from "./sniff.js";
import { corpus } from "./test-images.js";

const noise = () =>
  sharp({
    create: {
      width: 48,
      height: 32,
      channels: 3,
      background: "#000",
      noise: { type: "gaussian", mean: 128, sigma: 30 },
    },
  });

describe("findDamage", () => {
  it("finds every test icon whole", () => {
    const damaged = corpus().filter(({ bytes }) => findDamage(bytes, "png") !== undefined);
    expect(damaged.map(({ name }) => name)).toEqual([]);
  });

  it.each([
    ["a baseline JPEG", () => noise().jpeg().toBuffer()],
    ["a progressive JPEG (several scans)", () => noise().jpeg({ progressive: true }).toBuffer()],
    ["a JPEG with EXIF", () => noise().jpeg().withMetadata({ orientation: 3 }).toBuffer()],
    ["a GIF", () => noise().gif().toBuffer()],
    ["a WebP", () => noise().webp().toBuffer()],
    ["an AVIF", () => noise().avif().toBuffer()],
  ])("finds %s whole, and cut at any of five points truncated", async (_name, make) => {
    const bytes = await make();
    const format = sniffFormat(bytes);
    if (!format) throw new Error("unrecognised test image");
    expect(findDamage(bytes, format)).toBeUndefined();
    for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.9]) {
      expect(
        findDamage(bytes.subarray(0, Math.floor(bytes.length * fraction)), format),
        String(fraction),
      ).toBe("truncated");
    }
  });

  it("tells a PNG cut short from a PNG with a damaged checksum", () => {
    const icon = corpus()[0]?.bytes ?? Buffer.alloc(0);
    expect(findDamage(icon.subarray(0, icon.length - 5), "png")).toBe("truncated");
    const flipped = Buffer.from(icon);
    flipped[40] = (flipped[40] ?? 0) ^ 0x01;
    expect(findDamage(flipped, "png")).toBe("corrupt");
  });
});
