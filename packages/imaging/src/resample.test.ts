import fc from "fast-check";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { averageByCoverage, resampleArea } from "./resample.js";
import { corpus } from "./test-images.js";

const rgba = (...pixels: number[][]) => Uint8Array.from(pixels.flat());

describe("resampleArea", () => {
  it("averages exactly on integer factors", () => {
    const source = rgba([0, 0, 0, 255], [100, 100, 100, 255], [200, 200, 200, 255], [40, 40, 40, 255]);
    expect([...resampleArea(source, 2, 2, 1, 1)]).toEqual([85, 85, 85, 255]);
  });

  it("weighs partial coverage on fractional factors", () => {
    const source = rgba([0, 0, 0, 255], [90, 90, 90, 255], [180, 180, 180, 255]);
    // 3 → 2: the first output covers pixel 0 and half of pixel 1.
    expect([...resampleArea(source, 3, 1, 2, 1)]).toEqual([30, 30, 30, 255, 150, 150, 150, 255]);
  });

  it("lets no colour bleed out of fully transparent pixels", () => {
    const source = rgba([255, 0, 0, 0], [0, 0, 255, 255]);
    expect([...resampleArea(source, 2, 1, 1, 1)]).toEqual([0, 0, 255, 128]);
  });

  it("keeps a uniform image uniform at any size", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (w, h, target) => {
          const source = new Uint8Array(w * h * 4).map((_, i) => [12, 150, 240, 255][i % 4] ?? 0);
          const dw = Math.min(w, target);
          const dh = Math.min(h, target);
          const out = resampleArea(source, w, h, dw, dh);
          return out.every((value, i) => Math.abs(value - ([12, 150, 240, 255][i % 4] ?? 0)) <= 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives the same pixels on whole factors as the general two-pass average (within rounding)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        (width, height, fx, fy, seed) => {
          fc.pre(fx * fy > 1); // equal sizes are returned untouched by both
          const sw = width * fx;
          const sh = height * fy;
          let state = seed >>> 0;
          const source = new Uint8Array(sw * sh * 4).map(() => {
            state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
            return state >>> 24;
          });
          const fast = resampleArea(source, sw, sh, width, height);
          const general = averageByCoverage(source, sw, sh, width, height);
          return fast.every((value, i) => Math.abs(value - (general[i] ?? 0)) <= 1);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("refuses to enlarge", () => {
    expect(() => resampleArea(new Uint8Array(4), 1, 1, 2, 2)).toThrow(RangeError);
  });

  it("stays close to libvips' lanczos3 on real icons", async () => {
    let worst = 0;
    for (const { bytes } of corpus().slice(0, 40)) {
      const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const ours = resampleArea(data, info.width, info.height, 32, 32);
      const reference = await sharp(bytes).ensureAlpha().resize(32, 32).raw().toBuffer();
      let total = 0;
      for (let i = 0; i < ours.length; i += 4) {
        // Compare what a viewer sees: colour weighted by opacity, and opacity itself.
        for (let c = 0; c < 3; c += 1)
          total += Math.abs(
            ((ours[i + c] ?? 0) * (ours[i + 3] ?? 0) - (reference[i + c] ?? 0) * (reference[i + 3] ?? 0)) /
              255,
          );
        total += Math.abs((ours[i + 3] ?? 0) - (reference[i + 3] ?? 0));
      }
      worst = Math.max(worst, total / (32 * 32 * 4));
    }
    expect(worst).toBeLessThan(6);
  });
});
