import { createHash } from "node:crypto";
import sharp from "sharp";
import { expect, it } from "vitest";
import { RENDER_VERSION } from "./render-version.js";
import { resizeIcon } from "./resize-icon.js";
import { corpus } from "./test-images.js";

/**
 * The SHA-256 of every pixel `resizeIcon` renders from the repository's test icons at the sizes
 * below, for the current RENDER_VERSION. Pixels, not PNG bytes: a different zlib may compress the
 * same image differently, which is no reason to re-render.
 */
const RENDERED = {
  version: 1,
  pixels: "f9dd870d7b96a6860177db659b9a7f772e0dc221b5c241714ab1f2d3e83867ea",
};

const SIZES = [16, 32, 48, 64, 128];
/** 139 icons at five sizes: seconds of work, more on a loaded machine. */
const TIMEOUT_MS = 60_000;

it(
  "RENDER_VERSION changes whenever the rendered pixels change",
  async () => {
    const hash = createHash("sha256");
    for (const { name, bytes } of corpus()) {
      for (const size of SIZES) {
        const { png } = await resizeIcon(bytes, { size });
        const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
        hash.update(`${name} ${size} ${info.width}x${info.height}x${info.channels}\n`).update(data);
      }
    }
    expect(
      { version: RENDER_VERSION, pixels: hash.digest("hex") },
      "resizeIcon renders other pixels than RENDERED records: increase RENDER_VERSION and record the new hash",
    ).toEqual(RENDERED);
  },
  TIMEOUT_MS,
);
