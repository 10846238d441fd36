/** Test support: hostile and unusual images, generated so the tests carry no binary fixtures. */
import { deflateSync } from "node:zlib";
import { loadIcons } from "@icon-fanout/test-icons";
import sharp from "sharp";
import { pngChunk } from "./png.js";

export const corpus = loadIcons;

/** A well-formed PNG header declaring `width` × `height`, with one tiny compressed row. */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(Buffer.alloc(1 + Math.min(width, 1024)))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

const noisy = (width: number, height: number) =>
  sharp({
    create: {
      width,
      height,
      channels: 3,
      background: "#000",
      noise: { type: "gaussian", mean: 128, sigma: 30 },
    },
  });

const solid = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: { r: 200, g: 40, b: 90, alpha: 1 } } });

export async function hostileImages(): Promise<Record<string, Buffer>> {
  const valid = corpus()[0]?.bytes ?? Buffer.alloc(0);
  const corrupt = Buffer.from(valid);
  const idat = corrupt.indexOf("IDAT");
  for (let i = idat + 8; i < idat + 40; i += 1) corrupt[i] = (corrupt[i] ?? 0) ^ 0xff;
  const badLength = Buffer.from(valid);
  badLength.writeUInt32BE(0x00ffffff, idat - 4);
  const noisyJpeg = await noisy(64, 64).jpeg().toBuffer();
  const noisyAnimation = await sharp(await noisy(32, 96).raw().toBuffer(), {
    raw: { width: 32, height: 96, channels: 3, pageHeight: 32 },
  })
    .gif()
    .toBuffer();
  const webp = await solid(64, 64).webp().toBuffer();
  return {
    "zero bytes": Buffer.alloc(0),
    "plain text": Buffer.from("this is not an image\n"),
    "an HTML page": Buffer.from("<!doctype html><html><body>hi</body></html>"),
    "a truncated PNG": valid.subarray(0, Math.floor(valid.length / 2)),
    "a PNG with a corrupt data chunk": corrupt,
    "a PNG header only": valid.subarray(0, 33),
    "a pixel bomb (100000 × 100000 declared)": pngDeclaring(100_000, 100_000),
    "huge dimensions (8000 × 8000)": pngDeclaring(8000, 8000),
    "a PNG whose data chunk claims more bytes than the file has": badLength,
    "a truncated JPEG": (await solid(64, 64).jpeg().toBuffer()).subarray(0, 200),
    "a JPEG cut short in its pixel data": noisyJpeg.subarray(0, Math.floor(noisyJpeg.length / 2)),
    "an animated GIF cut short in its first frame": noisyAnimation.subarray(0, 1000),
    "a WebP cut short": webp.subarray(0, Math.floor(webp.length / 2)),
    "SVG with an external image": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd" width="10" height="10"/></svg>',
    ),
    "SVG with a remote stylesheet": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(https://example.com/x.css);</style></svg>',
    ),
    "SVG with an xlink to another host": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><use xlink:href="https://example.com/sprite.svg#a"/></svg>',
    ),
    "SVG with entity expansion": Buffer.from(
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&c;</text></svg>`,
    ),
    "an SVG over 1 MiB": Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!--${"x".repeat(1024 * 1024)}--></svg>`,
    ),
    "an SVG of zero size": Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>'),
    "an SVG that is not well-formed XML": Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"></svg>',
    ),
    "a PDF": Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
  };
}

/** Three frames of 32 × 32, black, dark red and red in the red channel. */
function animatedGif(): Promise<Buffer> {
  const frames = Buffer.alloc(32 * 96 * 3, 0);
  for (let i = 0; i < frames.length; i += 3) frames[i] = Math.floor(i / (32 * 32 * 3)) * 100;
  return sharp(frames, { raw: { width: 32, height: 96, channels: 3, pageHeight: 32 } })
    .gif()
    .toBuffer();
}

export async function unusualImages(): Promise<
  Record<string, { bytes: Buffer; width: number; height: number }>
> {
  return {
    "an animated GIF (3 frames of 32 × 32)": {
      bytes: await animatedGif(),
      width: 32,
      height: 32,
    },
    "a CMYK JPEG": {
      bytes: await solid(80, 40).toColourspace("cmyk").jpeg().toBuffer(),
      width: 80,
      height: 40,
    },
    "a 16-bit PNG": {
      bytes: await solid(48, 48).toColourspace("rgb16").png().toBuffer(),
      width: 48,
      height: 48,
    },
    "a palette PNG": {
      bytes: await solid(50, 100, 4).png({ palette: true }).toBuffer(),
      width: 50,
      height: 100,
    },
    "a 1 × 1 PNG": { bytes: await solid(1, 1).png().toBuffer(), width: 1, height: 1 },
    "a very wide PNG (4000 × 10)": { bytes: await solid(4000, 10).png().toBuffer(), width: 4000, height: 10 },
    "a WebP": { bytes: await solid(120, 90).webp().toBuffer(), width: 120, height: 90 },
    "a JPEG rotated by EXIF (stored 40 × 20, shown 20 × 40)": {
      bytes: await solid(40, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
      width: 20,
      height: 40,
    },
    "a PNG rotated by EXIF (stored 40 × 20, shown 20 × 40)": {
      bytes: await solid(40, 20).png().withMetadata({ orientation: 6 }).toBuffer(),
      width: 20,
      height: 40,
    },
  };
}
